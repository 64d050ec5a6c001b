import AWS
import Common
import Foundation
import Voice

/// The operator's changes to agents, shared by the HTTP API and `voicectl
/// agents`: validated as the original system's model, stored without
/// overwriting a change made meanwhile, and put into the shared agent cache at
/// once. Refusals are `HTTPError`s naming the field.
public struct AgentCatalog: Sendable {
    public let store: AgentStore
    /// The stack's shared agent cache; nil when SessionDB is not at hand.
    let cache: AgentDirectory?

    public init(store: AgentStore, cache: AgentDirectory?) {
        self.store = store
        self.cache = cache
    }

    /// Stores a new agent from its JSON form; `created_at` and `updated_at` are now.
    public func create(_ object: [String: Any], options: AWSCallOptions) throws -> Agent {
        var object = object
        let now = Timestamp(Date()).description
        object["created_at"] = now
        object["updated_at"] = now
        if object["status"] == nil { object["status"] = AgentStatus.active.rawValue }
        let agent = try Self.validAgent(object)
        guard try store.create(agent, options: options) else {
            throw HTTPError.conflict("an agent with agent_id '\(agent.agentId)' exists; change it instead")
        }
        try cache?.remember(agent)
        return agent
    }

    public func stored(_ agentId: String, options: AWSCallOptions) throws -> AgentStore.Stored {
        guard let stored = try store.agent(agentId, options: options) else {
            throw HTTPError.notFound("no agent '\(agentId)'")
        }
        return stored
    }

    /// Reads the agent, applies `change` to its JSON form, validates and stores
    /// the result unless the agent changed meanwhile (409 then).
    public func change(_ agentId: String, options: AWSCallOptions, _ change: (Any) -> Any) throws -> Agent {
        let stored = try stored(agentId, options: options)
        let current = try JSONSerialization.jsonObject(with: JSONEncoder().encode(stored.agent))
        guard var object = change(current) as? [String: Any] else { throw HTTPError.badRequest("the body must be a JSON object") }
        guard object["agent_id"] as? String == stored.agent.agentId else {
            throw HTTPError.unprocessable("agent_id: cannot be changed (it is '\(stored.agent.agentId)')")
        }
        object["created_at"] = stored.agent.createdAt?.description
        object["updated_at"] = Timestamp(Date()).description
        let agent = try Self.validAgent(object)
        guard try store.replace(agent, readAs: stored, options: options) else {
            throw HTTPError.conflict("agent '\(agent.agentId)' changed while this request ran; read it again and retry")
        }
        try cache?.remember(agent)
        return agent
    }

    /// An agent from its JSON form, or the 4xx naming the first field at fault.
    public static func validAgent(_ object: [String: Any]) throws -> Agent {
        let agent: Agent
        do {
            agent = try JSONDecoder().decode(Agent.self, from: JSONSerialization.data(withJSONObject: object))
        } catch let error as DecodingError {
            throw HTTPError.badRequest(error.fieldMessage)
        }
        if let problem = AgentValidation.problems(agent).first {
            throw HTTPError.unprocessable(problem.description)
        }
        return agent
    }
}
