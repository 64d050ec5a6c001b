import Foundation

/// Where a todo stands. The values are the original guide's (`pending`, `done`,
/// `cancelled`); it lists no in-progress state, so neither do we.
public enum TodoStatus: String, Codable, CaseIterable, Sendable {
    case pending
    case done
    case cancelled

    /// Parses a status as a user or client writes it: any case, and the usual
    /// synonyms (`completed`, `complete`, `finished` → `done`; `open` → `pending`;
    /// `canceled` → `cancelled`).
    public init(validating text: String) throws(ValidationError) {
        guard let status = Self(lenient: text) else {
            throw ValidationError(field: "status", reason: "must be one of pending, done, cancelled")
        }
        self = status
    }

    init?(lenient text: String) {
        switch text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() {
        case "pending", "open", "outstanding", "remaining", "incomplete", "active": self = .pending
        case "done", "completed", "complete", "finished": self = .done
        case "cancelled", "canceled": self = .cancelled
        default: return nil
        }
    }
}
