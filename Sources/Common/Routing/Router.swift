import Foundation

/// Routes the requests of one endpoint executable: method and path pattern to
/// a handler, after the check of the route's `Access`. A path no route has is
/// 404; a path some route has, with another method, is 405 naming the allowed
/// ones in `Allow`.
public struct Router<Service: AccessControlled>: Sendable {
    /// What a handler gets: the request, its context, the matched parameters.
    public struct Call: Sendable {
        public let request: Request
        public let context: RequestContext
        public let parameters: PathParameters
        /// The user the route's `Access` admitted (a user token's subject);
        /// nil for open and operator routes.
        public let user: String?
    }


    public typealias Handler = @Sendable (Call, Service) throws -> Response

    struct Route: Sendable {
        let method: String
        let pattern: PathPattern
        let access: Access
        let handler: Handler
    }

    private var routes: [Route] = []

    public init() {}

    /// Every route, in the order declared.
    public var operations: [RouteOperation] {
        routes.map { RouteOperation(method: $0.method, pattern: $0.pattern.description, access: $0.access,
                               parameterNames: $0.pattern.parameterNames) }
    }

    /// Adds `method pattern` (e.g. `GET /agents/{agent_id}`) for callers with `access`.
    public mutating func on(_ method: String, _ pattern: String, access: Access, _ handler: @escaping Handler) {
        routes.append(Route(method: method, pattern: PathPattern(pattern), access: access, handler: handler))
    }

    public func handle(_ request: Request, context: RequestContext, service: Service) throws -> Response {
        let parts = request.rawPath.split(separator: "/", omittingEmptySubsequences: true)
        var allowed: [String] = []
        for route in routes {
            guard let parameters = route.pattern.match(parts) else { continue }
            guard route.method == request.method || (route.method == "GET" && request.method == "HEAD") else {
                allowed.append(route.method)
                continue
            }
            let user = try service.guardian(for: route.access)?.admit(request, parameters: parameters)
            return try route.handler(Call(request: request, context: context, parameters: parameters, user: user),
                                     service)
        }
        if !allowed.isEmpty {
            throw HTTPError.methodNotAllowed(request.method, allowed: Array(Set(allowed)).sorted())
        }
        throw HTTPError.notFound("no endpoint at \(request.rawPath)")
    }
}

/// One route as declared, for documents and tests that must list them
/// (the OpenAPI document is checked against every router's operations).
public struct RouteOperation: Sendable, Hashable, CustomStringConvertible {
    public let method: String
    /// As declared, e.g. `/agents/{agent_id}` (OpenAPI's path template form).
    public let pattern: String
    public let access: Access
    public let parameterNames: [String]

    public var description: String { "\(method) \(pattern)" }
}
