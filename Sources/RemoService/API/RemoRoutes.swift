import AWS
import Common
import Foundation
import Remo

extension RemoRuntime: AccessControlled {
    /// Every chat route is a user's: the Privy token, and the path's `{user_id}` its user.
    public func guardian(for access: Access) -> (any RequestGuard)? {
        switch access {
        case .open: nil
        case .user: auth
        case .operatorKey: Refusal(.unauthorized("the chat assistant has no operator routes; use a Privy access token"))
        }
    }
}

extension Router where Service == RemoRuntime {
    /// Adds a route for the token's user. The handler gets the stores bound to
    /// that user; what the stores and the domain throw is answered as
    /// `RemoRuntime.answering` says (422, 503).
    mutating func user(
        _ method: String, _ pattern: String,
        _ handler: @escaping @Sendable (Call, RemoRuntime, UserData) throws -> Response
    ) {
        on(method, pattern, access: .user) { call, remo in
            guard let userId = call.user else { throw HTTPError.unauthorized("no user was authenticated") }
            return try remo.answering(call.context.logger) { try handler(call, remo, remo.stores.user(userId)) }
        }
    }
}

extension Router<RemoRuntime>.Call {
    /// The path's item id `name`, refused (400) when it cannot be one before DynamoDB is asked.
    func itemId(_ name: String) throws -> String {
        let id = parameters[name]
        guard ItemID.isWellFormed(id) else { throw HTTPError.badRequest("'\(id.prefix(64))' is not an item id") }
        return id
    }
}

/// The answer of a DELETE of one item.
struct DeletedAnswer: Encodable {
    let deleted: Bool
    let id: String
}

/// `POST /user/{user_id}/<collection>` and `GET`, `PATCH`, `DELETE` of one of
/// its items (`/user/{user_id}/reminders/{reminder_id}`, `…/todos/{todo_id}`):
/// the same four routes over each collection's store.
struct ItemRoutes<Item: Encodable & Sendable>: Sendable {
    /// `reminder`, `todo`: the item's name in answers and its id parameter (`reminder_id`).
    let kind: String
    let collection: String
    /// The item a POST body describes, not stored yet.
    let create: @Sendable (RemoRuntime, JSONObject, UserData) throws -> Item
    let save: @Sendable (UserData, Item) throws -> Void
    let read: @Sendable (UserData, String, Date) throws -> Item?
    /// The attributes a PATCH body sets.
    let changes: @Sendable (RemoRuntime, JSONObject, UserData) throws -> DynamoDBItem
    let update: @Sendable (UserData, String, Date, DynamoDBItem) throws -> Item?
    let delete: @Sendable (UserData, String, Date) throws -> Item?

    func answer(_ item: Item, status: Int = 200) throws -> Response {
        try .json([kind: item], status: status)
    }

    func notFound(_ id: String) -> HTTPError {
        HTTPError.notFound("no \(kind) \(id) for this user")
    }
}

extension Router where Service == RemoRuntime {
    mutating func items<Item: Encodable & Sendable>(_ item: ItemRoutes<Item>) {
        user("POST", "/user/{user_id}/\(item.collection)") { call, remo, data in
            let created = try item.create(remo, JSONObject(call.request), data)
            try item.save(data, created)
            return try item.answer(created, status: 201)
        }
        let pattern = "/user/{user_id}/\(item.collection)/{\(item.kind)_id}"
        user("GET", pattern) { call, remo, data in
            let id = try call.itemId("\(item.kind)_id")
            guard let found = try item.read(data, id, remo.clock.now) else { throw item.notFound(id) }
            return try item.answer(found)
        }
        user("PATCH", pattern) { call, remo, data in
            let id = try call.itemId("\(item.kind)_id")
            let changes = try item.changes(remo, JSONObject(call.request), data)
            guard let changed = try item.update(data, id, remo.clock.now, changes) else { throw item.notFound(id) }
            return try item.answer(changed)
        }
        user("DELETE", pattern) { call, remo, data in
            let id = try call.itemId("\(item.kind)_id")
            guard try item.delete(data, id, remo.clock.now) != nil else { throw item.notFound(id) }
            return try .json(DeletedAnswer(deleted: true, id: id))
        }
    }
}
