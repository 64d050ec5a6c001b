import Foundation
import Voice

/// Agents and their JSON both ways, for this process: the one form in which
/// agent snapshots and prepared calls store an agent. Most calls share a few
/// agents, so each is encoded and decoded once rather than on every store.
final class AgentJSONCache: @unchecked Sendable {
    // @unchecked: the two maps are only touched under `lock`.
    static let shared = AgentJSONCache()

    private let lock = NSLock()
    private var jsonByAgent: [Agent: [UInt8]] = [:]
    private var agentByJSON: [[UInt8]: Agent] = [:]
    /// More agents than a host serves at once; past it the maps start again.
    static let limit = 512

    /// The agent's JSON, keys sorted, so that equal agents give equal bytes.
    func json(for agent: Agent) throws -> [UInt8] {
        if let known = lock.withLock({ jsonByAgent[agent] }) { return known }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = [UInt8](try encoder.encode(agent))
        remember(agent, json)
        return json
    }

    func agent(from json: [UInt8]) throws -> Agent {
        if let known = lock.withLock({ agentByJSON[json] }) { return known }
        let agent = try JSONDecoder().decode(Agent.self, from: Data(json))
        remember(agent, json)
        return agent
    }

    private func remember(_ agent: Agent, _ json: [UInt8]) {
        lock.withLock {
            if jsonByAgent.count >= Self.limit || agentByJSON.count >= Self.limit {
                jsonByAgent.removeAll(keepingCapacity: true)
                agentByJSON.removeAll(keepingCapacity: true)
            }
            jsonByAgent[agent] = json
            agentByJSON[json] = agent
        }
    }
}
