/// A user's preferences: the two the assistant uses, and any others kept as given.
///
/// Stored as the map attribute `preferences` on the user's `remo-users` item, and
/// sent and received flat (`{"timezone": …, "language": …, "theme": …}`).
public struct UserPreferences: Codable, Equatable, Sendable {
    /// IANA zone name; times the user says are read in it. Nil means UTC.
    public var timezone: String?
    /// Language tag such as `en` or `hi-IN`.
    public var language: String?
    /// Every other key, untouched.
    public var other: [String: JSONValue]

    public init(timezone: String? = nil, language: String? = nil, other: [String: JSONValue] = [:]) {
        self.timezone = timezone
        self.language = language
        self.other = other
    }

    /// Preferences from a client's JSON object, with `timezone` and `language` checked.
    public static func validated(from object: [String: JSONValue]) throws(ValidationError) -> UserPreferences {
        var preferences = UserPreferences()
        for (key, value) in object {
            switch key {
            case "timezone":
                guard case .string(let name) = value else {
                    throw ValidationError(field: "timezone", reason: "must be a string")
                }
                preferences.timezone = try TimeZoneName.validate(name)
            case "language":
                guard case .string(let tag) = value else {
                    throw ValidationError(field: "language", reason: "must be a string")
                }
                preferences.language = try ProfileValidation.language(tag)
            default:
                try StorableJSON.checkName(key, in: "")
                try StorableJSON.check(value, field: key)
                preferences.other[key] = value
            }
        }
        try StorableJSON.checkSize(preferences.other)
        return preferences
    }

    /// These preferences with every key set in `update` replaced.
    public func merging(_ update: UserPreferences) -> UserPreferences {
        var merged = self
        if let timezone = update.timezone { merged.timezone = timezone }
        if let language = update.language { merged.language = language }
        merged.other.merge(update.other) { _, new in new }
        return merged
    }

    struct Key: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        var preferences = UserPreferences()
        for key in container.allKeys {
            switch key.stringValue {
            case "timezone": preferences.timezone = try container.decodeIfPresent(String.self, forKey: key)
            case "language": preferences.language = try container.decodeIfPresent(String.self, forKey: key)
            default: preferences.other[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
            }
        }
        self = preferences
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encodeIfPresent(timezone, forKey: Key(stringValue: "timezone"))
        try container.encodeIfPresent(language, forKey: Key(stringValue: "language"))
        for (key, value) in other where key != "timezone" && key != "language" {
            try container.encode(value, forKey: Key(stringValue: key))
        }
    }
}
