/// Who may call a route, checked before its handler runs. Throws the refusal
/// (an `HTTPError`, or a webhook's own answer).
public protocol RequestGuard: Sendable {
    func check(_ request: Request) throws
}

/// Who a route is for; the service behind the router supplies the check.
public enum Access: Sendable, Hashable {
    /// Anyone (health, metrics).
    case open
    /// The operator: `Authorization: Bearer $API_KEY`.
    case operatorKey
}

/// A service whose routes declare their `Access`: it knows how to check each.
public protocol AccessControlled: Sendable {
    /// The check for `access`; nil lets every request through.
    func guardian(for access: Access) -> (any RequestGuard)?
}
