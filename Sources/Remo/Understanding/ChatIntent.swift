import Foundation

/// Which reminders a listing shows.
public enum ReminderListFilter: String, Codable, Sendable {
    /// Still to come: status `pending`.
    case pending
    /// Every status.
    case all
}

/// The two kinds of items a user keeps.
public enum ItemKind: String, Codable, Sendable {
    case reminder
    case todo
}

/// Which item a request is about.
public enum ItemSelector: Equatable, Sendable {
    /// Words from the item's title, to be matched against the user's items
    /// (see `TitleMatcher`): "buy milk", "milk".
    case titleMatching(String)
    /// An item the user pointed at in the last listing ("the second one", "it").
    case item(id: String, title: String)
}

/// Friendly exchanges that change nothing.
public enum SmallTalk: String, Codable, Sendable {
    case greeting
    case thanks
    case farewell
    /// "help", "what can you do?"
    case help
}

/// A request left half-finished by a clarifying question, carried to the next
/// message so that a bare answer ("tomorrow at 10am") completes it. The handler
/// keeps it between requests (it is Codable for that).
public enum PendingRequest: Codable, Equatable, Sendable {
    /// We asked when to remind about `title`.
    case reminderTime(title: String)
    /// We asked what to remind about at `at`.
    case reminderTitle(at: Date)
}

/// An item shown to the user in the last listing, in the order shown, so that
/// "the first one" and "it" can be resolved.
public struct ListedItem: Codable, Equatable, Sendable {
    public let kind: ItemKind
    public let id: String
    public let title: String

    public init(kind: ItemKind, id: String, title: String) {
        self.kind = kind
        self.id = id
        self.title = title
    }
}

/// What the understanding knows besides the message.
public struct ChatContext: Sendable {
    /// The instant the message was received.
    public var now: Date
    /// The user's zone; time phrases are read in it.
    public var timeZone: TimeZone
    /// The items of the last listing, in the order shown.
    public var recentItems: [ListedItem]
    /// A request awaiting the user's answer, if the last reply asked a question.
    public var pending: PendingRequest?
    /// When an understanding that calls out must have its answer; nil: no limit.
    public var deadline: ContinuousClock.Instant?

    public init(now: Date, timeZone: TimeZone, recentItems: [ListedItem] = [], pending: PendingRequest? = nil,
                deadline: ContinuousClock.Instant? = nil) {
        self.now = now
        self.timeZone = timeZone
        self.recentItems = recentItems
        self.pending = pending
        self.deadline = deadline
    }
}

/// What a chat message asks for.
public enum ChatIntent: Equatable, Sendable {
    /// Store a reminder about `title` at `at` (already resolved in the user's zone).
    case setReminder(title: String, at: Date, description: String?)
    case listReminders(ReminderListFilter)
    case completeReminder(ItemSelector)
    case cancelReminder(ItemSelector)
    /// Store a todo; `priority` is `medium` when the user named none.
    case addTodo(title: String, priority: TodoPriority, description: String?)
    /// List todos; nil means any status or any priority.
    case listTodos(status: TodoStatus?, priority: TodoPriority?)
    case completeTodo(ItemSelector)
    case deleteTodo(ItemSelector)
    case showProfile
    /// Change one or more profile details, each already validated and normalized.
    case updateProfile([ProfileUpdate])
    case smallTalk(SmallTalk)
    /// Ask the user `question`; `pending` is what their answer may complete.
    case clarify(question: String, pending: PendingRequest?)
}
