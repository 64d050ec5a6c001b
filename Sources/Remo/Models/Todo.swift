import Foundation

/// A todo in `remo-todos` (PK `user_id`, SK `todo_id`).
///
/// Stored attributes, snake_case as in the original guide: `title`, `description`
/// (absent when empty), `priority`, `status`, `created_at`, `updated_at` (ISO
/// 8601 UTC), `ttl` (epoch seconds, 1 year). Optionally `due` (ISO 8601 UTC), an
/// addition of this system.
public struct Todo: Codable, Equatable, Sendable {
    public var userId: String
    public var todoId: String
    public var title: String
    public var description: String?
    public var priority: TodoPriority
    public var status: TodoStatus
    public var due: Date?
    public var createdAt: Date
    public var updatedAt: Date
    public var ttl: Int64

    public init(userId: String, todoId: String, title: String, description: String?, priority: TodoPriority,
                status: TodoStatus, due: Date?, createdAt: Date, updatedAt: Date, ttl: Int64) {
        self.userId = userId
        self.todoId = todoId
        self.title = title
        self.description = description
        self.priority = priority
        self.status = status
        self.due = due
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.ttl = ttl
    }

    /// A new pending todo with a fresh id, timestamps at `now` and a one-year `ttl`.
    /// Throws when the title or description cannot be stored.
    public static func new(userId: String, title: String, description: String? = nil,
                           priority: TodoPriority = .default, due: Date? = nil, now: Date) throws(ValidationError) -> Todo {
        Todo(
            userId: userId, todoId: ItemID.todo(createdAt: now), title: try TextField.title(title),
            description: try TextField.description(description), priority: priority, status: .pending, due: due,
            createdAt: now, updatedAt: now, ttl: Retention.ttl(from: now, keeping: Retention.item))
    }

    /// The same todo with another status, `updated_at` moved to `now`.
    public func with(status: TodoStatus, now: Date) -> Todo {
        var copy = self
        copy.status = status
        copy.updatedAt = now
        return copy
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id", todoId = "todo_id", title, description, priority, status, due
        case createdAt = "created_at", updatedAt = "updated_at", ttl
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        userId = try container.decode(String.self, forKey: .userId)
        todoId = try container.decode(String.self, forKey: .todoId)
        title = try container.decode(String.self, forKey: .title)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        priority = try container.decodeIfPresent(TodoPriority.self, forKey: .priority) ?? .default
        status = try container.decode(TodoStatus.self, forKey: .status)
        due = try container.decodeIfPresent(String.self, forKey: .due).flatMap(UTCTimestamp.date(from:))
        createdAt = try container.decodeTimestamp(forKey: .createdAt)
        updatedAt = try container.decodeIfPresent(String.self, forKey: .updatedAt)
            .flatMap(UTCTimestamp.date(from:)) ?? createdAt
        ttl = try container.decodeIfPresent(Int64.self, forKey: .ttl)
            ?? Retention.ttl(from: createdAt, keeping: Retention.item)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(userId, forKey: .userId)
        try container.encode(todoId, forKey: .todoId)
        try container.encode(title, forKey: .title)
        try container.encodeIfPresent(description, forKey: .description)
        try container.encode(priority, forKey: .priority)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(due.map { UTCTimestamp.string(from: $0) }, forKey: .due)
        try container.encode(UTCTimestamp.string(from: createdAt), forKey: .createdAt)
        try container.encode(UTCTimestamp.string(from: updatedAt), forKey: .updatedAt)
        try container.encode(ttl, forKey: .ttl)
    }
}
