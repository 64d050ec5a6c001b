/// Who may call a route, checked before its handler runs. Throws the refusal
/// (an `HTTPError`, or a webhook's own answer).
public protocol RequestGuard: Sendable {
    func check(_ request: Request) throws

    /// The check with the route's matched path parameters, for guards that
    /// compare a path's owner with the caller. Returns the user the request
    /// was admitted as, when the check names one (a user token's subject).
    func admit(_ request: Request, parameters: PathParameters) throws -> String?
}

extension RequestGuard {
    /// A guard that looks only at the request, and names no user.
    public func admit(_ request: Request, parameters: PathParameters) throws -> String? {
        try check(request)
        return nil
    }
}

/// Who a route is for; the service behind the router supplies the check.
public enum Access: Sendable, Hashable, CaseIterable {
    /// Anyone (health, metrics).
    case open
    /// The operator: `Authorization: Bearer $API_KEY`.
    case operatorKey
    /// An end user: `Authorization: Bearer <user access token>`. When the
    /// route's pattern has `{user_id}`, only that user is admitted.
    case user
}

/// A service whose routes declare their `Access`: it knows how to check each.
public protocol AccessControlled: Sendable {
    /// The check for `access`; nil lets every request through.
    func guardian(for access: Access) -> (any RequestGuard)?
}

/// The check of an `Access` a service does not offer: refuses every request,
/// so a route declared with it can never be reached by mistake.
public struct Refusal: RequestGuard {
    private let error: HTTPError

    public init(_ error: HTTPError) {
        self.error = error
    }

    public func check(_ request: Request) throws {
        throw error
    }
}
