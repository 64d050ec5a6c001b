import Foundation
import Metrics

/// The service behind `GET /metrics`: reads SessionDB only, so a scrape works
/// while AWS is down. Open to anyone when `METRICS_PUBLIC=true`, else behind
/// the operator's guard.
public struct MetricsRuntime: AccessControlled {
    let exposition: MetricsExposition
    let operatorGuard: any RequestGuard
    let isPublic: Bool

    public init(context: RequestContext, operatorGuard: any RequestGuard, jobKinds: [String]) throws {
        exposition = try MetricsExposition(database: context.sessionDB, jobKinds: jobKinds)
        self.operatorGuard = operatorGuard
        isPublic = try context.config.environment.bool("METRICS_PUBLIC", default: false)
    }

    public func guardian(for access: Access) -> (any RequestGuard)? {
        switch access {
        case .open: nil
        case .operatorKey: isPublic ? nil : operatorGuard
        case .user: Refusal(.unauthorized("metrics take the operator's key, not a user's token"))
        }
    }

    public static let routes: Router<MetricsRuntime> = {
        var router = Router<MetricsRuntime>()
        router.on("GET", "/metrics", access: .operatorKey) { call, service in
            let text = try service.exposition.render(now: Date().timeIntervalSince1970)
            return Response(status: 200, headers: [("Content-Type", PrometheusText.contentType)],
                            body: call.request.method == "HEAD" ? [] : Array(text.utf8))
        }
        return router
    }()
}
