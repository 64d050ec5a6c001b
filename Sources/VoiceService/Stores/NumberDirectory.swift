import AWS
import Common
import Foundation
import Logging
import SessionDB

/// Which agent answers each of our numbers, read through a cache in SessionDB
/// that every process shares (as agents are), then from DynamoDB. A number
/// with no assignment is cached too, so an inbound call to it costs no read.
public struct NumberDirectory: Sendable {
    private let database: SessionDB
    private let cache: Store<ExpiringValue<CachedAssignment>>
    private let numbers: PhoneNumberStore?
    private let ttl: Double

    /// A cached answer: the agent id, or nil when the number is not assigned.
    struct CachedAssignment: Codable, Sendable {
        var agentId: String?

        enum CodingKeys: String, CodingKey {
            case agentId = "agent_id"
        }
    }

    public init(database: SessionDB, numbers: PhoneNumberStore?, ttlSeconds: Int) throws {
        self.database = database
        cache = try database.store(SessionDBLayout.numberCache, of: ExpiringValue<CachedAssignment>.self)
        self.numbers = numbers
        ttl = Double(ttlSeconds)
    }

    /// The agent assigned to `number`, nil when none is; DynamoDB is asked only
    /// when the cache has no fresh answer, within `options`. When it cannot
    /// answer, a stale cached answer, else nil (the caller gets `default`).
    public func assignedAgent(for number: String, options: AWSCallOptions, logger: Logger,
                              now: Date = Date()) -> String? {
        guard let numbers else { return nil }
        let cached = try? database.get(cache, number)
        if let cached, cached.isFresh(at: now.timeIntervalSince1970) { return cached.value.agentId }
        do {
            let agentId = try numbers.assignment(for: number, options: options)?.assignedAgentId
            remember(number, agentId: agentId, now: now, logger: logger)
            return agentId
        } catch {
            logger.warning("number assignment unavailable", metadata: [
                "stale_cache": "\(cached != nil)", "reason": "\(error)",
            ])
            return cached?.value.agentId
        }
    }

    /// Forgets a number's cached assignment (after it changed).
    public func invalidate(_ number: String) {
        _ = try? database.delete(cache, number)
    }

    /// Caches an assignment just written, so the next inbound call in any
    /// process takes it without reading DynamoDB.
    public func remember(_ number: String, agentId: String?, logger: Logger) {
        remember(number, agentId: agentId, now: Date(), logger: logger)
    }

    private func remember(_ number: String, agentId: String?, now: Date, logger: Logger) {
        do {
            try database.put(cache, number, ExpiringValue(value: CachedAssignment(agentId: agentId),
                                                          storedAt: now.timeIntervalSince1970, ttl: ttl))
        } catch {
            logger.warning("number cache write failed", metadata: ["reason": "\(error)"])
        }
    }
}
