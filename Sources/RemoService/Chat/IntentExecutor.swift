import Foundation
import Remo

/// Carries out a chat intent on one user's stores. Every lookup goes through
/// stores bound to the authenticated user, so an id or title can only ever
/// reach that user's items.
struct IntentExecutor {
    let data: UserData
    let now: Date
    let timeZone: TimeZone
    let profile: UserProfile?

    func perform(_ intent: ChatIntent) throws -> ChatStep {
        switch intent {
        case .setReminder(let title, let at, let description):
            let reminder: Reminder
            do {
                reminder = try Reminder.new(userId: data.userId, title: title, description: description,
                                            remindingTime: at, timeZone: timeZone, now: now)
            } catch {
                return ChatStep(outcome: .clarification(ask(error)))
            }
            try data.reminders.save(reminder)
            return ChatStep(outcome: .reminderSet(reminder), actions: [.reminder("reminder_created", reminder)])

        case .listReminders(let filter):
            let reminders = try data.reminders.list(status: filter == .pending ? .pending : nil, now: now)
            return ChatStep(outcome: .remindersListed(reminders, filter))

        case .completeReminder(let selector):
            return try changeReminder(selector, to: .done)

        case .cancelReminder(let selector):
            return try changeReminder(selector, to: .cancelled)

        case .addTodo(let title, let priority, let description):
            let todo: Todo
            do {
                todo = try Todo.new(userId: data.userId, title: title, description: description, priority: priority, now: now)
            } catch {
                return ChatStep(outcome: .clarification(ask(error)))
            }
            try data.todos.save(todo)
            return ChatStep(outcome: .todoAdded(todo), actions: [.todo("todo_created", todo)])

        case .listTodos(let status, let priority):
            let todos = try data.todos.list(status: status, priority: priority, now: now)
            return ChatStep(outcome: .todosListed(todos, status: status, priority: priority))

        case .completeTodo(let selector):
            guard let todo = try findTodo(selector, among: { try data.todos.list(status: .pending, now: now) }) else {
                return ChatStep(outcome: missing(.todo, selector))
            }
            if case .several(let titles) = todo { return ChatStep(outcome: .severalMatches(.todo, query: query(selector), titles: titles)) }
            guard case .one(let found) = todo, let done = try data.todos.updateStatus(found.todoId, to: .done, now: now) else {
                return ChatStep(outcome: missing(.todo, selector))
            }
            return ChatStep(outcome: .todoCompleted(done), actions: [.todo("todo_completed", done)])

        case .deleteTodo(let selector):
            guard let todo = try findTodo(selector, among: { try data.todos.list(now: now) }) else {
                return ChatStep(outcome: missing(.todo, selector))
            }
            if case .several(let titles) = todo { return ChatStep(outcome: .severalMatches(.todo, query: query(selector), titles: titles)) }
            guard case .one(let found) = todo, let deleted = try data.todos.delete(found.todoId, now: now) else {
                return ChatStep(outcome: missing(.todo, selector))
            }
            return ChatStep(outcome: .todoDeleted(deleted), actions: [.todo("todo_deleted", deleted)])

        case .showProfile:
            return ChatStep(outcome: .profileShown(profile))

        case .updateProfile(let updates):
            let updated = try data.profile.apply(updates, now: now)
            var action = ChatAction(type: "profile_updated", id: data.userId)
            action.fields = Dictionary(updates.map { ($0.field.rawValue, $0.value) }) { $1 }
            return ChatStep(outcome: .profileUpdated(updated, updates), actions: [action])

        case .smallTalk(let talk):
            return ChatStep(outcome: .smallTalk(talk))

        case .clarify(let question, let pending):
            return ChatStep(outcome: .clarification(question), pending: pending)
        }
    }

    /// Completing or cancelling a reminder: only pending ones are candidates by title.
    private func changeReminder(_ selector: ItemSelector, to status: ReminderStatus) throws -> ChatStep {
        let found: Found<Reminder>?
        switch selector {
        case .item(let id, _):
            found = try data.reminders.reminder(id, now: now).map { .one($0) }
        case .titleMatching(let text):
            found = Found(TitleMatcher.match(text, in: try data.reminders.list(status: .pending, now: now), title: \.title),
                          title: \.title)
        }
        guard let found else { return ChatStep(outcome: missing(.reminder, selector)) }
        switch found {
        case .several(let titles):
            return ChatStep(outcome: .severalMatches(.reminder, query: query(selector), titles: titles))
        case .one(let reminder):
            guard let changed = try data.reminders.updateStatus(reminder.reminderId, to: status, now: now) else {
                return ChatStep(outcome: missing(.reminder, selector))
            }
            return status == .done
                ? ChatStep(outcome: .reminderCompleted(changed), actions: [.reminder("reminder_completed", changed)])
                : ChatStep(outcome: .reminderCancelled(changed), actions: [.reminder("reminder_cancelled", changed)])
        }
    }

    private func findTodo(_ selector: ItemSelector, among candidates: () throws -> [Todo]) throws -> Found<Todo>? {
        switch selector {
        case .item(let id, _):
            return try data.todos.todo(id, now: now).map { .one($0) }
        case .titleMatching(let text):
            return Found(TitleMatcher.match(text, in: try candidates(), title: \.title), title: \.title)
        }
    }

    private func missing(_ kind: ItemKind, _ selector: ItemSelector) -> ChatOutcome {
        .noMatch(kind, query: query(selector))
    }

    private func query(_ selector: ItemSelector) -> String {
        switch selector {
        case .titleMatching(let text): text
        case .item(_, let title): title
        }
    }

    /// A question that puts a refused value back to the user.
    private func ask(_ error: ValidationError) -> String {
        "I can't store that: the \(error.field) \(error.reason). Could you say it again?"
    }
}

/// A title match reduced to what the executor acts on.
enum Found<Item> {
    case one(Item)
    case several([String])

    init?(_ match: TitleMatch<Item>, title: (Item) -> String) {
        switch match {
        case .none: return nil
        case .one(let item): self = .one(item)
        case .several(let items): self = .several(items.map(title))
        }
    }
}
