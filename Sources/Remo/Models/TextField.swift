import Foundation

/// Checks for the free-text fields users fill: titles and descriptions.
enum TextField {
    static let maximumTitleLength = 200
    static let maximumDescriptionLength = 2000

    /// The trimmed title, or why it cannot be one.
    static func title(_ text: String) throws(ValidationError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ValidationError(field: "title", reason: "must not be empty") }
        guard trimmed.count <= maximumTitleLength else {
            throw ValidationError(field: "title", reason: "must be at most \(maximumTitleLength) characters")
        }
        guard !containsControlCharacters(trimmed) else {
            throw ValidationError(field: "title", reason: "must not contain control characters")
        }
        return trimmed
    }

    /// The trimmed description, nil when empty (an absent attribute rather than "").
    static func description(_ text: String?) throws(ValidationError) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        guard trimmed.count <= maximumDescriptionLength else {
            throw ValidationError(field: "description", reason: "must be at most \(maximumDescriptionLength) characters")
        }
        return trimmed
    }

    static func containsControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
