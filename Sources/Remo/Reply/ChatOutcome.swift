import Foundation

/// What handling a chat intent did, as the reply composer needs it: the stored
/// items themselves, so replies say exactly what was written.
public enum ChatOutcome: Sendable {
    case reminderSet(Reminder)
    /// Reminders in the order to show (see `ChatOutcome.displayOrder`).
    case remindersListed([Reminder], ReminderListFilter)
    case reminderCompleted(Reminder)
    case reminderCancelled(Reminder)
    case todoAdded(Todo)
    case todosListed([Todo], status: TodoStatus?, priority: TodoPriority?)
    case todoCompleted(Todo)
    case todoDeleted(Todo)
    /// The user's profile; nil when nothing is stored yet.
    case profileShown(UserProfile?)
    case profileUpdated(UserProfile, [ProfileUpdate])
    /// No item of `kind` matched `query`.
    case noMatch(ItemKind, query: String)
    /// Several items matched: their titles, to ask which.
    case severalMatches(ItemKind, query: String, titles: [String])
    case smallTalk(SmallTalk)
    /// A question from the understanding, passed through.
    case clarification(String)

    /// The items a listing shows, in order, for `ChatContext.recentItems` on the next message.
    public var listedItems: [ListedItem] {
        switch self {
        case .remindersListed(let reminders, _):
            Self.displayOrder(reminders).map { ListedItem(kind: .reminder, id: $0.reminderId, title: $0.title) }
        case .todosListed(let todos, _, _):
            Self.displayOrder(todos).map { ListedItem(kind: .todo, id: $0.todoId, title: $0.title) }
        default:
            []
        }
    }

    /// Reminders soonest first.
    public static func displayOrder(_ reminders: [Reminder]) -> [Reminder] {
        reminders.sorted { ($0.remindingTime, $0.reminderId) < ($1.remindingTime, $1.reminderId) }
    }

    /// Todos most pressing first, then oldest first.
    public static func displayOrder(_ todos: [Todo]) -> [Todo] {
        todos.sorted { a, b in
            if a.priority != b.priority { return a.priority > b.priority }
            return (a.createdAt, a.todoId) < (b.createdAt, b.todoId)
        }
    }
}
