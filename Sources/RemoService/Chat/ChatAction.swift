import Foundation
import Remo

/// One change a chat message made, as `/chat` reports it in `actions`.
///
/// `type` is one of `reminder_created`, `reminder_completed`,
/// `reminder_cancelled`, `todo_created`, `todo_completed`, `todo_deleted`,
/// `profile_updated`; `id` is the item's id (the user's Privy id for profile
/// changes). The other fields are the item's stored values.
public struct ChatAction: Encodable, Equatable, Sendable {
    public let type: String
    public let id: String
    public var title: String?
    public var description: String?
    /// ISO 8601 UTC, as stored.
    public var remindingTime: String?
    public var timezone: String?
    public var status: String?
    public var priority: String?
    /// Profile changes: field name → stored value.
    public var fields: [String: String]?

    init(type: String, id: String) {
        self.type = type
        self.id = id
    }

    static func reminder(_ type: String, _ reminder: Reminder) -> ChatAction {
        var action = ChatAction(type: type, id: reminder.reminderId)
        action.title = reminder.title
        action.description = reminder.description
        action.remindingTime = UTCTimestamp.string(from: reminder.remindingTime)
        action.timezone = reminder.timezone
        action.status = reminder.status.rawValue
        return action
    }

    static func todo(_ type: String, _ todo: Todo) -> ChatAction {
        var action = ChatAction(type: type, id: todo.todoId)
        action.title = todo.title
        action.description = todo.description
        action.status = todo.status.rawValue
        action.priority = todo.priority.rawValue
        return action
    }

    enum CodingKeys: String, CodingKey {
        case type, id, title, description, timezone, status, priority, fields
        case remindingTime = "reminding_time"
    }
}

/// What handling one intent produced: the outcome the reply describes, the
/// changes made, and what the next message should be read against.
struct ChatStep {
    var outcome: ChatOutcome
    var actions: [ChatAction] = []
    /// The question now awaiting an answer, if any.
    var pending: PendingRequest?
}
