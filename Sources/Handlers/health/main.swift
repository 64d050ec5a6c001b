import Common
import Foundation
import LLM
import SessionDB

/// GET /health: proves this process reached SessionDB by reading its statistics
/// in a fresh snapshot (503 when it cannot), and says whether the configured
/// LLM answers. An LLM that does not makes the stack `degraded`, not down: the
/// rule engine answers every call meanwhile.
struct HealthReport: Encodable {
    let status: String
    let version: String
    let commit: String
    let pid: Int32
    let sessiondb: SessionDBStatistics
    /// Nil when no LLM is configured.
    let llm: LLMProbe?
}

Endpoint.run("health", traits: .api, prepare: { context in
    context.config.llm.provider.map { LLMClient(provider: $0) }
}) { request, context, llm in
    try request.require("GET")
    let statistics: SessionDBStatistics
    do {
        statistics = try context.sessionDB.statistics()
    } catch {
        context.logger.error("sessiondb unreachable", metadata: ["reason": "\(error)"])
        throw HTTPError.serviceUnavailable("SessionDB is unreachable: \(error)")
    }
    let probe = llm?.probe(timeout: min(context.deadline.remaining, .seconds(1)))
    return try .json(HealthReport(status: probe?.reachable == false ? "degraded" : "ok", version: BuildInfo.version,
                                  commit: BuildInfo.commit, pid: getpid(), sessiondb: statistics, llm: probe))
}
