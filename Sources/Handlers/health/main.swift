import Common
import Foundation
import SessionDB

/// GET /health: proves this process reached SessionDB by reading its statistics
/// in a fresh snapshot; 503 when it cannot.
struct HealthReport: Encodable {
    let status: String
    let version: String
    let commit: String
    let pid: Int32
    let sessiondb: SessionDBStatistics
}

Endpoint.run("health", traits: .api) { request, context in
    try request.require("GET")
    let statistics: SessionDBStatistics
    do {
        statistics = try context.sessionDB.statistics()
    } catch {
        context.logger.error("sessiondb unreachable", metadata: ["reason": "\(error)"])
        throw HTTPError.serviceUnavailable("SessionDB is unreachable: \(error)")
    }
    return try .json(HealthReport(status: "ok", version: BuildInfo.version, commit: BuildInfo.commit,
                                  pid: getpid(), sessiondb: statistics))
}
