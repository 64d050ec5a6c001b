import Common
import Foundation
import Logging
import Remo

/// `GET /user/{id}/data`.
struct UserDataResponse: Encodable {
    let userId: String
    let profile: UserProfile?
    let reminders: [Reminder]
    let todos: [Todo]
    /// The most recent messages, newest last.
    let conversations: [ChatMessage]

    enum CodingKeys: String, CodingKey {
        case userId = "user_id", profile, reminders, todos, conversations
    }

    /// `profile` is written as null when there is none, so clients always find the key.
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(userId, forKey: .userId)
        try container.encode(profile, forKey: .profile)
        try container.encode(reminders, forKey: .reminders)
        try container.encode(todos, forKey: .todos)
        try container.encode(conversations, forKey: .conversations)
    }
}

/// `DELETE /user/{id}/data?data_type=…`.
struct DeletionResponse: Encodable {
    let userId: String
    let dataType: String
    /// How many items went from each table (`profile`: 1 or 0).
    let deleted: [String: Int]

    enum CodingKeys: String, CodingKey {
        case userId = "user_id", dataType = "data_type", deleted
    }
}

/// `GET`/`POST /user/{id}/preferences`.
struct PreferencesResponse: Encodable {
    let userId: String
    let preferences: UserPreferences

    enum CodingKeys: String, CodingKey {
        case userId = "user_id", preferences
    }
}

/// What `DELETE /user/{id}/data` may remove.
enum DataType: String, CaseIterable {
    case reminders, todos, conversations, all
}

extension RemoRuntime {
    /// `GET`/`DELETE /user/{user_id}/data` and `GET`/`POST /user/{user_id}/preferences`
    /// (`PUT` as a synonym of `POST`).
    public static var userDataRoutes: Router<RemoRuntime> {
        var routes = Router<RemoRuntime>()
        routes.user("GET", "/user/{user_id}/data") { call, remo, data in try remo.everything(of: data, call.request) }
        routes.user("DELETE", "/user/{user_id}/data") { call, remo, data in
            try remo.delete(of: data, call.request, logger: call.context.logger)
        }
        routes.user("GET", "/user/{user_id}/preferences") { _, _, data in
            let profile = try data.profile.profile()
            return try .json(PreferencesResponse(userId: data.userId, preferences: profile?.preferences ?? UserPreferences()))
        }
        for method in ["POST", "PUT"] {
            routes.user(method, "/user/{user_id}/preferences") { call, remo, data in
                try remo.mergePreferences(of: data, call.request)
            }
        }
        return routes
    }

    private func mergePreferences(of data: UserData, _ request: Request) throws -> Response {
        var fields = try JSONObject(request).fields
        // Accept `{"preferences": {...}}` as well as the flat object.
        if fields.count == 1, case .object(let inner)? = fields["preferences"] { fields = inner }
        let preferences = try UserPreferences.validated(from: fields)
        let profile = try data.profile.mergePreferences(preferences, now: clock.now)
        return try .json(PreferencesResponse(userId: data.userId, preferences: profile.preferences))
    }

    private func everything(of data: UserData, _ request: Request) throws -> Response {
        let limit = try request.queryItems().limit(default: ConversationStore.defaultLimit, maximum: 1000)
        let now = clock.now
        return try .json(UserDataResponse(
            userId: data.userId, profile: try data.profile.profile(),
            reminders: ChatOutcome.displayOrder(try data.reminders.list(now: now)),
            todos: ChatOutcome.displayOrder(try data.todos.list(now: now)),
            conversations: try data.conversations.recent(limit: limit, now: now)))
    }

    /// Deletes one kind of data, or all of it (the profile and the chat state
    /// too), every page: the stores query keys until none are left.
    private func delete(of data: UserData, _ request: Request, logger: Logger) throws -> Response {
        // Required rather than defaulting to `all`: a bare DELETE must not wipe a user.
        guard let text = try request.queryItems()["data_type"] else {
            throw HTTPError.badRequest("missing query parameter data_type (reminders, todos, conversations or all)")
        }
        guard let type = DataType(rawValue: text.lowercased()) else {
            throw HTTPError.unprocessable("data_type must be one of reminders, todos, conversations, all")
        }
        var deleted: [String: Int] = [:]
        if type == .reminders || type == .all { deleted["reminders"] = try data.reminders.deleteAll() }
        if type == .todos || type == .all { deleted["todos"] = try data.todos.deleteAll() }
        if type == .conversations || type == .all { deleted["conversations"] = try data.conversations.deleteAll() }
        if type == .all {
            deleted["profile"] = try data.profile.delete() ? 1 : 0
            do { try chatState.clear(for: data.userId) } catch { throw SessionDBFailure(underlying: error) }
        }
        logger.info("user data deleted", metadata: ["data_type": "\(type.rawValue)", "counts": "\(deleted)"])
        return try .json(DeletionResponse(userId: data.userId, dataType: type.rawValue, deleted: deleted))
    }
}
