import AWS
import Common
import Foundation
import Logging
import Remo

struct ReminderList: Encodable {
    let userId: String
    let count: Int
    let reminders: [Reminder]

    enum CodingKeys: String, CodingKey {
        case userId = "user_id", count, reminders
    }
}

extension RemoRuntime {
    /// `GET/POST /user/{user_id}/reminders` and `GET/PATCH/DELETE /user/{user_id}/reminders/{reminder_id}`.
    public static var reminderRoutes: Router<RemoRuntime> {
        var routes = Router<RemoRuntime>()
        routes.user("GET", "/user/{user_id}/reminders") { call, remo, data in
            let status = try FieldRules.query(call.request, "status", FieldRules.reminderStatus)
            let found = ChatOutcome.displayOrder(try data.reminders.list(status: status, now: remo.clock.now))
            return try .json(ReminderList(userId: data.userId, count: found.count, reminders: found))
        }
        routes.items(ItemRoutes(
            kind: "reminder", collection: "reminders",
            create: { remo, body, data in try remo.newReminder(body, data: data, now: remo.clock.now) },
            save: { data, reminder in try data.reminders.save(reminder) },
            read: { data, id, now in try data.reminders.reminder(id, now: now) },
            changes: { remo, body, data in try remo.reminderChanges(body, data: data) },
            update: { data, id, now, changes in try data.reminders.update(id, now: now, set: changes) },
            delete: { data, id, now in try data.reminders.delete(id, now: now) }))
        return routes
    }

    /// `{title, reminding_time | when, description?, timezone?}`: an ISO 8601
    /// time, or a phrase such as "tomorrow at 10am" read in the user's zone; a
    /// phrase that needs a question is 422 carrying the question.
    private func newReminder(_ body: JSONObject, data: UserData, now: Date) throws -> Reminder {
        try FieldRules.checkOwner(body, data.userId)
        try body.refuse(["reminder_id"])
        let title = try body.requiredString("title")
        let description = try body.string("description")
        var timeZone = try data.profile.profile()?.timeZone ?? TimeZoneName.zone(named: nil)
        if let name = try body.string("timezone") {
            timeZone = TimeZoneName.zone(named: try TimeZoneName.validate(name))
        }
        let at: Date
        switch (try body.string("reminding_time"), try body.string("when")) {
        case (let iso?, nil):
            at = try FieldRules.dateTime(iso, field: "reminding_time", timeZone: timeZone)
        case (nil, let phrase?):
            switch TimePhraseParser().resolve(phrase, now: now, timeZone: timeZone) {
            case .resolved(let date): at = date
            case .ambiguous(let question), .unparseable(let question):
                throw HTTPError.unprocessable("when: \(question)")
            }
        case (nil, nil):
            throw HTTPError.badRequest("missing field 'reminding_time' (ISO 8601) or 'when' (like \"tomorrow at 10am\")")
        case (_?, _?):
            throw HTTPError.badRequest("give either 'reminding_time' or 'when', not both")
        }
        return try Reminder.new(userId: data.userId, title: title, description: description, remindingTime: at,
                                timeZone: timeZone, now: now)
    }

    /// The attributes a PATCH sets: `status`, `title`, `description`, `reminding_time`.
    private func reminderChanges(_ body: JSONObject, data: UserData) throws -> DynamoDBItem {
        try FieldRules.checkOwner(body, data.userId)
        try body.refuse(["reminder_id", "created_at", "ttl"])
        var changes: DynamoDBItem = [:]
        if let status = try body.string("status") {
            changes["status"] = .string(try FieldRules.reminderStatus(status).rawValue)
        }
        if body.has("title") {
            let (title, _) = try FieldRules.text(title: try body.requiredString("title"), description: nil)
            changes["title"] = .string(title)
        }
        if let description = try body.string("description") {
            let (_, text) = try FieldRules.text(title: "-", description: description)
            guard let text else { throw HTTPError.badRequest("field 'description' must not be empty") }
            changes["description"] = .string(text)
        }
        if let iso = try body.string("reminding_time") {
            let zone = try data.profile.profile()?.timeZone ?? TimeZoneName.zone(named: nil)
            let at = try FieldRules.dateTime(iso, field: "reminding_time", timeZone: zone)
            changes["reminding_time"] = .string(UTCTimestamp.string(from: at))
            changes["reminding_time_epoch"] = .int(Int64(at.timeIntervalSince1970.rounded(.down)))
        }
        guard !changes.isEmpty else {
            throw HTTPError.badRequest("nothing to change: give status, title, description or reminding_time")
        }
        return changes
    }
}
