import Common
import Foundation
import Remo

/// Checks for the fields the REST endpoints accept, over the domain's rules.
enum FieldRules {
    /// A title and description in their stored form. The domain checks them when
    /// it makes an item, so a throwaway todo is made to reuse exactly those rules
    /// for a PATCH instead of keeping a second copy that could drift.
    static func text(title: String, description: String?) throws(ValidationError) -> (String, String?) {
        let probe = try Todo.new(userId: "-", title: title, description: description, now: Date(timeIntervalSince1970: 0))
        return (probe.title, probe.description)
    }

    /// An ISO 8601 date-time: with `Z` or an offset as given, without one read in `timeZone`.
    static func dateTime(_ text: String, field: String, timeZone: TimeZone) throws(ValidationError) -> Date {
        guard let asUTC = UTCTimestamp.date(from: text) else {
            throw ValidationError(field: field, reason: "must be an ISO 8601 date-time like 2026-11-23T10:00:00+05:30")
        }
        let trimmed = text.uppercased()
        let timePart = trimmed.split(maxSplits: 1, whereSeparator: { $0 == "T" || $0 == " " }).last.map(String.init) ?? trimmed
        let hasZone = timePart.hasSuffix("Z") || timePart.contains("+") || timePart.contains("-")
        guard !hasZone else { return asUTC }
        // A naive time is the user's wall clock: move it from UTC into their zone.
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        var local = Calendar(identifier: .gregorian)
        local.timeZone = timeZone
        let parts = utc.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: asUTC)
        return local.date(from: parts) ?? asUTC
    }

    static func reminderStatus(_ text: String) throws(ValidationError) -> ReminderStatus {
        try ReminderStatus(validating: text)
    }

    static func todoStatus(_ text: String) throws(ValidationError) -> TodoStatus {
        try TodoStatus(validating: text)
    }

    static func priority(_ text: String) throws(ValidationError) -> TodoPriority {
        try TodoPriority(validating: text)
    }

    /// The query parameter `name` parsed by `parse`; absent is nil, invalid 422.
    static func query<T>(_ request: Request, _ name: String, _ parse: (String) throws(ValidationError) -> T) throws -> T? {
        guard let text = try request.queryItems()[name], !text.isEmpty else { return nil }
        do {
            return try parse(text)
        } catch {
            throw HTTPError.unprocessable("\(name): \(error.reason)")
        }
    }

    /// A body's `user_id`, when given, must be the authenticated user's.
    static func checkOwner(_ body: JSONObject, _ userId: String) throws {
        if let claimed = try body.string("user_id"), claimed != userId {
            throw HTTPError.forbidden("user_id is not the user of this token; a user can reach only their own data")
        }
    }
}
