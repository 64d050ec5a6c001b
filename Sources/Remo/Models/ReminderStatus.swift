import Foundation

/// Where a reminder stands. The values are the original guide's.
public enum ReminderStatus: String, Codable, CaseIterable, Sendable {
    case pending
    case done
    case cancelled

    /// Parses a status as a user or client writes it: any case, and the usual
    /// synonyms (`completed`, `complete`, `finished` → `done`; `canceled` → `cancelled`).
    public init(validating text: String) throws(ValidationError) {
        guard let status = Self(lenient: text) else {
            throw ValidationError(field: "status", reason: "must be one of pending, done, cancelled")
        }
        self = status
    }

    init?(lenient text: String) {
        switch text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() {
        case "pending", "open", "active": self = .pending
        case "done", "completed", "complete", "finished": self = .done
        case "cancelled", "canceled": self = .cancelled
        default: return nil
        }
    }
}
