import Common
import Foundation
import Remo

/// A JSON request body read as an object of loosely typed fields, so that each
/// field can be checked on its own with an answer naming it: a PATCH must tell
/// "absent" from "present", and a wrong type is a 400 that says which field.
struct JSONObject {
    let fields: [String: JSONValue]

    init(_ request: Request) throws {
        fields = try request.json([String: JSONValue].self)
    }

    init(fields: [String: JSONValue]) {
        self.fields = fields
    }

    func has(_ name: String) -> Bool { fields[name] != nil }

    /// A string field; nil when absent or null, 400 when another type.
    func string(_ name: String) throws -> String? {
        switch fields[name] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        default: throw HTTPError.badRequest("field '\(name)' must be a string")
        }
    }

    /// A string field that must be present and not blank.
    func requiredString(_ name: String) throws -> String {
        guard let value = try string(name) else { throw HTTPError.badRequest("missing field '\(name)'") }
        guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw HTTPError.badRequest("field '\(name)' must not be empty")
        }
        return value
    }

    /// Refuses fields a client may not set (the owner and the keys are the server's).
    func refuse(_ names: [String]) throws {
        for name in names where has(name) {
            throw HTTPError.badRequest("field '\(name)' cannot be set by the client")
        }
    }
}
