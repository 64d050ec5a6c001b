import Foundation

/// Who said a message in the conversation memory.
public enum ChatRole: String, Codable, Sendable {
    case user
    case assistant
}

/// One message of a user's conversation memory in `remo-conversations`
/// (PK `user_id`, SK `timestamp`; attributes `role`, `content`, `ttl` = 30 days).
///
/// `timestamp` is ISO 8601 UTC with exactly six fraction digits
/// (`2026-11-23T04:30:00.123456Z`): fixed width, so the sort key orders messages
/// in time. Microseconds make a clash between two requests of one user unlikely
/// but not impossible, so a store writes with `attribute_not_exists(#timestamp)`
/// and on conflict retries with `timestamp(after:)`. The assistant's reply to a
/// message is stamped one microsecond after it (`exchange`), so the pair keeps
/// its order even when both are written in the same microsecond.
public struct ChatMessage: Codable, Equatable, Sendable {
    /// Longest message content the memory keeps, in characters; handlers refuse longer input.
    public static let maximumContentLength = 8000

    public var userId: String
    public var timestamp: String
    public var role: ChatRole
    public var content: String
    public var ttl: Int64

    public init(userId: String, timestamp: String, role: ChatRole, content: String, ttl: Int64) {
        self.userId = userId
        self.timestamp = timestamp
        self.role = role
        self.content = content
        self.ttl = ttl
    }

    /// A message said at `date`, kept for 30 days.
    public init(userId: String, role: ChatRole, content: String, at date: Date) {
        self.init(userId: userId, timestamp: Self.timestamp(for: date), role: role, content: content,
                  ttl: Retention.ttl(from: date, keeping: Retention.conversation))
    }

    /// The user's message at `date` and the assistant's reply one microsecond later.
    public static func exchange(userId: String, message: String, reply: String, at date: Date) -> [ChatMessage] {
        let question = ChatMessage(userId: userId, role: .user, content: message, at: date)
        let answer = ChatMessage(userId: userId, timestamp: timestamp(after: question.timestamp) ?? question.timestamp,
                                 role: .assistant, content: reply, ttl: question.ttl)
        return [question, answer]
    }

    /// The sort key for a message said at `date`.
    public static func timestamp(for date: Date) -> String {
        UTCTimestamp.string(from: date, fractionDigits: 6)
    }

    /// The next sort key after `timestamp` (one microsecond later), for retrying a
    /// write that lost a race for the same key.
    public static func timestamp(after timestamp: String) -> String? {
        guard let date = UTCTimestamp.date(from: timestamp) else { return nil }
        // Integer microseconds: adding 1e-6 to a Date can round back onto the same string.
        let micros = Int64((date.timeIntervalSince1970 * 1e6).rounded())
        return UTCTimestamp.string(scaled: micros + 1, fractionDigits: 6)
    }

    /// The instant of this message, when its timestamp is one (the original wrote naive ISO times).
    public var date: Date? { UTCTimestamp.date(from: timestamp) }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id", timestamp, role, content, ttl
    }
}
