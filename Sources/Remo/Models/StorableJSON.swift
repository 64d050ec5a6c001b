import Foundation

/// What DynamoDB can store of a JSON value a user sent: a preference it would
/// refuse, or store and then answer in a form no reader can take back (an
/// empty map key), must be refused before the write as a 422 naming the field.
enum StorableJSON {
    /// DynamoDB nests documents at most 32 levels deep; ours stop well before.
    static let maximumDepth = 16
    static let maximumNameLength = 256
    /// The preferences a user may keep besides timezone and language, as JSON
    /// (a DynamoDB item holds at most 400 KB).
    static let maximumBytes = 64 * 1024

    /// A member name: 1 to 256 characters.
    static func checkName(_ name: String, in field: String) throws(ValidationError) {
        guard (1...maximumNameLength).contains(name.count) else {
            throw ValidationError(field: field.isEmpty ? "preferences" : String(field.prefix(64)),
                                  reason: "member names must be 1 to \(maximumNameLength) characters")
        }
    }

    static func check(_ value: JSONValue, field: String, depth: Int = 1) throws(ValidationError) {
        guard depth <= maximumDepth else {
            throw ValidationError(field: String(field.prefix(64)), reason: "nests deeper than \(maximumDepth) levels")
        }
        switch value {
        case .number(let number):
            // DynamoDB's numbers: zero, and magnitudes from 1e-130 to under 1e126.
            guard number.isFinite, number == 0 || (1e-130...9.9e125).contains(abs(number)) else {
                throw ValidationError(field: String(field.prefix(64)), reason: "is a number DynamoDB cannot store")
            }
        case .array(let elements):
            for element in elements { try check(element, field: field + "[]", depth: depth + 1) }
        case .object(let members):
            for (name, member) in members {
                try checkName(name, in: field)
                try check(member, field: field + "." + name, depth: depth + 1)
            }
        case .string, .bool, .null:
            break
        }
    }

    static func checkSize(_ other: [String: JSONValue]) throws(ValidationError) {
        let size = (try? JSONEncoder().encode(other).count) ?? 0
        guard size <= maximumBytes else {
            throw ValidationError(field: "preferences", reason: "are \(size) bytes as JSON; at most \(maximumBytes) are kept")
        }
    }
}
