/// A profile detail a user can change by saying so.
public enum ProfileField: String, CaseIterable, Codable, Sendable {
    case email
    case wallet
    case firstName = "first_name"
    case lastName = "last_name"
    case phoneNumber = "phone_number"
    case timezone
    case language

    /// How replies name the field.
    public var spokenName: String {
        switch self {
        case .email: "email"
        case .wallet: "wallet address"
        case .firstName: "first name"
        case .lastName: "last name"
        case .phoneNumber: "phone number"
        case .timezone: "time zone"
        case .language: "language"
        }
    }
}

/// One validated change to a profile: `value` is already in its stored form.
public struct ProfileUpdate: Equatable, Codable, Sendable {
    public let field: ProfileField
    public let value: String

    /// Validates and normalizes `rawValue` for `field` (see `ProfileValidation`).
    public init(field: ProfileField, rawValue: String) throws(ValidationError) {
        self.field = field
        value = try ProfileValidation.normalize(rawValue, for: field)
    }
}
