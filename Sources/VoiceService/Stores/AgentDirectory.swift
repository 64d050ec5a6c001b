import AWS
import Foundation
import Logging
import SessionDB
import Voice

/// Where an agent came from, for logs and for deciding how far to trust it.
public enum AgentSource: String, Sendable {
    case cache, dynamodb, staleCache = "stale-cache", builtIn = "built-in"
}

/// The answer of an agent lookup.
public enum AgentLookup: Sendable {
    case found(Agent, AgentSource)
    case notFound
    /// DynamoDB could not be asked (down, slow, throttling) and nothing is cached.
    case unavailable(String)
}

/// Agents, read through the cache in SessionDB that every process shares, then
/// from DynamoDB. With DynamoDB disabled, the built-in seed agents.
public struct AgentDirectory: Sendable {
    private let database: SessionDB
    private let cache: Store<ExpiringValue<Agent>>
    /// Every answer, make-call and finalization reads the cache: each process
    /// decodes an entry once per change, not once per read.
    private let decoded = DecodedEntries<ExpiringValue<Agent>>()
    private let dynamo: DynamoDBClient?
    private let table: String
    private let ttl: Double
    private let logger: Logger

    public init(database: SessionDB, cacheName: String, dynamo: DynamoDBClient?, table: String, ttlSeconds: Int,
                logger: Logger) throws {
        self.database = database
        cache = try database.store(cacheName, of: ExpiringValue<Agent>.self)
        self.dynamo = dynamo
        self.table = table
        ttl = Double(ttlSeconds)
        self.logger = logger
    }

    public func agent(_ agentId: String, options: AWSCallOptions, now: Date = Date()) -> AgentLookup {
        let logger = options.logger ?? self.logger
        guard let dynamo else {
            return SeedAgents.agent(id: agentId).map { .found($0, .builtIn) } ?? .notFound
        }
        let cached = try? database.get(cache, agentId, through: decoded)
        if let cached, cached.isFresh(at: now.timeIntervalSince1970) {
            return .found(cached.value, .cache)
        }
        do {
            guard let agent = try dynamo.getItem(Agent.self, table: table, key: ["agent_id": .string(agentId)],
                                                 options: options) else {
                _ = try? database.delete(cache, agentId)
                return .notFound
            }
            do {
                try database.put(cache, agentId, ExpiringValue(value: agent, storedAt: now.timeIntervalSince1970, ttl: ttl))
            } catch {
                logger.warning("agent cache write failed", metadata: ["agent_id": "\(agentId)", "reason": "\(error)"])
            }
            return .found(agent, .dynamodb)
        } catch {
            logger.warning("agent lookup failed", metadata: ["agent_id": "\(agentId)", "reason": "\(error)"])
            if let cached { return .found(cached.value, .staleCache) }
            return .unavailable("\(error)")
        }
    }

    /// Puts an agent just written into the shared cache, so that the next
    /// answer in any process uses it without reading DynamoDB.
    public func remember(_ agent: Agent, now: Date = Date()) throws {
        try database.put(cache, agent.agentId, ExpiringValue(value: agent, storedAt: now.timeIntervalSince1970, ttl: ttl))
    }
}
