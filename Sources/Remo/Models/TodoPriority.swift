import Foundation

/// How pressing a todo is, lowest first. The values are the original guide's.
public enum TodoPriority: String, Codable, CaseIterable, Comparable, Sendable {
    case low
    case medium
    case high
    case urgent

    /// What a todo gets when the user names no priority.
    public static let `default` = TodoPriority.medium

    /// Parses a priority in any case; `normal` is read as `medium`.
    public init(validating text: String) throws(ValidationError) {
        switch text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() {
        case "low": self = .low
        case "medium", "normal": self = .medium
        case "high": self = .high
        case "urgent": self = .urgent
        default: throw ValidationError(field: "priority", reason: "must be one of low, medium, high, urgent")
        }
    }

    private var rank: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}
