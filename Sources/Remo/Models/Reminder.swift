import Foundation

/// A reminder in `remo-reminders` (PK `user_id`, SK `reminder_id`).
///
/// Stored attributes, snake_case as in the original guide:
/// - `reminding_time`: when to remind, ISO 8601 in UTC (`2026-11-23T04:30:00Z`).
///   The original wrote naive local times; those still decode (taken as UTC).
/// - `reminding_time_epoch`: the same instant in epoch seconds, a number a
///   scheduler can compare without parsing. Added by this system.
/// - `timezone`: the IANA zone the user spoke in, so replies and listings show
///   the time as they meant it. Added by this system; `UTC` when absent.
/// - `status`, `created_at`, `updated_at` (ISO UTC), `ttl` (epoch seconds, 1 year).
public struct Reminder: Codable, Equatable, Sendable {
    public var userId: String
    public var reminderId: String
    public var title: String
    public var description: String?
    public var remindingTime: Date
    public var timezone: String
    public var status: ReminderStatus
    public var createdAt: Date
    public var updatedAt: Date
    public var ttl: Int64

    public init(userId: String, reminderId: String, title: String, description: String?, remindingTime: Date,
                timezone: String, status: ReminderStatus, createdAt: Date, updatedAt: Date, ttl: Int64) {
        self.userId = userId
        self.reminderId = reminderId
        self.title = title
        self.description = description
        self.remindingTime = remindingTime
        self.timezone = timezone
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.ttl = ttl
    }

    /// A new pending reminder with a fresh id, timestamps at `now` and a one-year `ttl`.
    /// Throws when the title or description cannot be stored.
    public static func new(userId: String, title: String, description: String? = nil, remindingTime: Date,
                           timeZone: TimeZone, now: Date) throws(ValidationError) -> Reminder {
        Reminder(
            userId: userId, reminderId: ItemID.reminder(createdAt: now), title: try TextField.title(title),
            description: try TextField.description(description), remindingTime: remindingTime,
            timezone: timeZone.identifier, status: .pending, createdAt: now, updatedAt: now,
            ttl: Retention.ttl(from: now, keeping: Retention.item))
    }

    /// The same reminder with another status, `updated_at` moved to `now`.
    public func with(status: ReminderStatus, now: Date) -> Reminder {
        var copy = self
        copy.status = status
        copy.updatedAt = now
        return copy
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id", reminderId = "reminder_id", title, description
        case remindingTime = "reminding_time", remindingTimeEpoch = "reminding_time_epoch", timezone, status
        case createdAt = "created_at", updatedAt = "updated_at", ttl
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        userId = try container.decode(String.self, forKey: .userId)
        reminderId = try container.decode(String.self, forKey: .reminderId)
        title = try container.decode(String.self, forKey: .title)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        remindingTime = try container.decodeTimestamp(forKey: .remindingTime)
        timezone = try container.decodeIfPresent(String.self, forKey: .timezone) ?? "UTC"
        status = try container.decode(ReminderStatus.self, forKey: .status)
        createdAt = try container.decodeTimestamp(forKey: .createdAt)
        updatedAt = try container.decodeIfPresent(String.self, forKey: .updatedAt)
            .flatMap(UTCTimestamp.date(from:)) ?? createdAt
        ttl = try container.decodeIfPresent(Int64.self, forKey: .ttl)
            ?? Retention.ttl(from: createdAt, keeping: Retention.item)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(userId, forKey: .userId)
        try container.encode(reminderId, forKey: .reminderId)
        try container.encode(title, forKey: .title)
        try container.encodeIfPresent(description, forKey: .description)
        try container.encode(UTCTimestamp.string(from: remindingTime), forKey: .remindingTime)
        try container.encode(Int64(remindingTime.timeIntervalSince1970.rounded(.down)), forKey: .remindingTimeEpoch)
        try container.encode(timezone, forKey: .timezone)
        try container.encode(status, forKey: .status)
        try container.encode(UTCTimestamp.string(from: createdAt), forKey: .createdAt)
        try container.encode(UTCTimestamp.string(from: updatedAt), forKey: .updatedAt)
        try container.encode(ttl, forKey: .ttl)
    }
}

extension KeyedDecodingContainer {
    /// An ISO 8601 string attribute as a date; a decoding error names the key when it is not one.
    func decodeTimestamp(forKey key: Key) throws -> Date {
        let text = try decode(String.self, forKey: key)
        guard let date = UTCTimestamp.date(from: text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not an ISO 8601 date-time: \(text)")
        }
        return date
    }
}
