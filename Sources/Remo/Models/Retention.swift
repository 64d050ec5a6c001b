import Foundation

/// How long items live before DynamoDB's TTL may delete them, and the check reads
/// need because DynamoDB deletes expired items only eventually (and the local
/// emulator never does).
public enum Retention {
    /// Reminders and todos: one year after they were written.
    public static let item: TimeInterval = 365 * 86_400
    /// Conversation messages: thirty days.
    public static let conversation: TimeInterval = 30 * 86_400

    /// The `ttl` attribute (epoch seconds) for something written at `date` kept for `duration`.
    public static func ttl(from date: Date, keeping duration: TimeInterval) -> Int64 {
        Int64((date.timeIntervalSince1970 + duration).rounded(.down))
    }

    /// Whether an item with this `ttl` must be treated as gone at `now`.
    public static func isExpired(ttl: Int64?, now: Date) -> Bool {
        guard let ttl else { return false }
        return Double(ttl) <= now.timeIntervalSince1970
    }
}
