import Common
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
