import Foundation

/// A user in `remo-users` (PK `privy_id`).
///
/// Attributes as in the original guide: `email`, `wallet`, `first_name`,
/// `last_name`, `phone_number`, `created_at`, `updated_at` (ISO 8601 UTC); plus
/// the map `preferences`. Absent details are absent attributes, not empty strings.
public struct UserProfile: Codable, Equatable, Sendable {
    public var privyId: String
    public var email: String?
    public var wallet: String?
    public var firstName: String?
    public var lastName: String?
    public var phoneNumber: String?
    public var preferences: UserPreferences
    public var createdAt: Date
    public var updatedAt: Date

    public init(privyId: String, email: String? = nil, wallet: String? = nil, firstName: String? = nil,
                lastName: String? = nil, phoneNumber: String? = nil, preferences: UserPreferences = UserPreferences(),
                createdAt: Date, updatedAt: Date) {
        self.privyId = privyId
        self.email = email
        self.wallet = wallet
        self.firstName = firstName
        self.lastName = lastName
        self.phoneNumber = phoneNumber
        self.preferences = preferences
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The zone the user's times are read and shown in: their preference, else UTC.
    public var timeZone: TimeZone { TimeZoneName.zone(named: preferences.timezone) }

    /// The profile with one detail changed (already validated, see `ProfileValidation`)
    /// and `updated_at` moved to `now`.
    public func applying(_ update: ProfileUpdate, now: Date) -> UserProfile {
        var copy = self
        switch update.field {
        case .email: copy.email = update.value
        case .wallet: copy.wallet = update.value
        case .firstName: copy.firstName = update.value
        case .lastName: copy.lastName = update.value
        case .phoneNumber: copy.phoneNumber = update.value
        case .timezone: copy.preferences.timezone = update.value
        case .language: copy.preferences.language = update.value
        }
        copy.updatedAt = now
        return copy
    }

    enum CodingKeys: String, CodingKey {
        case privyId = "privy_id", email, wallet, firstName = "first_name", lastName = "last_name"
        case phoneNumber = "phone_number", preferences, createdAt = "created_at", updatedAt = "updated_at"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        privyId = try container.decode(String.self, forKey: .privyId)
        email = try container.decodeIfPresent(String.self, forKey: .email)
        wallet = try container.decodeIfPresent(String.self, forKey: .wallet)
        firstName = try container.decodeIfPresent(String.self, forKey: .firstName)
        lastName = try container.decodeIfPresent(String.self, forKey: .lastName)
        phoneNumber = try container.decodeIfPresent(String.self, forKey: .phoneNumber)
        preferences = try container.decodeIfPresent(UserPreferences.self, forKey: .preferences) ?? UserPreferences()
        createdAt = try container.decodeTimestamp(forKey: .createdAt)
        updatedAt = try container.decodeIfPresent(String.self, forKey: .updatedAt)
            .flatMap(UTCTimestamp.date(from:)) ?? createdAt
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(privyId, forKey: .privyId)
        try container.encodeIfPresent(email, forKey: .email)
        try container.encodeIfPresent(wallet, forKey: .wallet)
        try container.encodeIfPresent(firstName, forKey: .firstName)
        try container.encodeIfPresent(lastName, forKey: .lastName)
        try container.encodeIfPresent(phoneNumber, forKey: .phoneNumber)
        try container.encode(preferences, forKey: .preferences)
        try container.encode(UTCTimestamp.string(from: createdAt), forKey: .createdAt)
        try container.encode(UTCTimestamp.string(from: updatedAt), forKey: .updatedAt)
    }
}
