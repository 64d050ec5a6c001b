import AWS
import Common
import Foundation
import Voice

/// `GET /agents` answers a page of agents and the cursor of the next one.
struct AgentPage: Encodable {
    let agents: [Agent]
    let count: Int
    let nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case agents, count
        case nextCursor = "next_cursor"
    }

    /// `next_cursor` is always there: null on the last page.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(agents, forKey: .agents)
        try container.encode(count, forKey: .count)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

extension VoiceRuntime {
    /// The operator's agents: list by status, create, read, change, archive.
    /// Every write puts the agent into the shared cache in the same request, so
    /// the next call in any process answers with it.
    public static var agentRoutes: Router<VoiceRuntime> {
        var routes = Router<VoiceRuntime>()
        routes.on("GET", "/agents", access: .operatorKey) { call, voice in try voice.listAgents(call) }
        routes.on("POST", "/agents", access: .operatorKey) { call, voice in try voice.createAgent(call) }
        routes.on("GET", "/agents/{agent_id}", access: .operatorKey) { call, voice in
            try .json(try voice.storedAgent(call).agent)
        }
        routes.on("PATCH", "/agents/{agent_id}", access: .operatorKey) { call, voice in
            let body = try call.request.jsonObject()
            return try voice.changeAgent(call) { current in JSONMergePatch.apply(body, to: current) }
        }
        routes.on("DELETE", "/agents/{agent_id}", access: .operatorKey) { call, voice in
            try voice.changeAgent(call) { current in
                var object = current as? [String: Any] ?? [:]
                object["status"] = AgentStatus.archived.rawValue
                return object
            }
        }
        return routes
    }

    private func catalog() throws -> AgentCatalog {
        guard let agentStore else {
            throw HTTPError.serviceUnavailable("the agents API needs DynamoDB (ENABLE_DYNAMODB=true)")
        }
        return AgentCatalog(store: agentStore, cache: agents)
    }

    private func listAgents(_ call: Router<VoiceRuntime>.Call) throws -> Response {
        let query = try call.request.queryItems()
        let status: AgentStatus
        if let text = query["status"] {
            guard let parsed = AgentStatus(rawValue: text) else {
                throw HTTPError.badRequest("status must be one of active, inactive, archived")
            }
            status = parsed
        } else {
            status = .active
        }
        let limit = try query.limit(default: 20, maximum: 100)
        let cursor = try pageCursor()
        let start = try query["cursor"].map { try cursor.decode($0) }
        let page = try catalog().store.page(status: status, limit: limit, after: start, options: aws(call.context))
        return try .json(AgentPage(agents: page.agents, count: page.agents.count,
                                   nextCursor: page.next.map(cursor.encode)))
    }

    private func createAgent(_ call: Router<VoiceRuntime>.Call) throws -> Response {
        let agent = try catalog().create(try call.request.jsonObject(), options: aws(call.context))
        call.context.logger.info("agent created", metadata: ["agent_id": "\(agent.agentId)"])
        return try .json(agent, status: 201)
    }

    private func storedAgent(_ call: Router<VoiceRuntime>.Call) throws -> AgentStore.Stored {
        try catalog().stored(call.parameters["agent_id"], options: aws(call.context))
    }

    private func changeAgent(_ call: Router<VoiceRuntime>.Call, _ change: (Any) -> Any) throws -> Response {
        let agent = try catalog().change(call.parameters["agent_id"], options: aws(call.context), change)
        call.context.logger.info("agent changed", metadata: ["agent_id": "\(agent.agentId)", "status": "\(agent.status.rawValue)"])
        return try .json(agent)
    }

    func pageCursor() throws -> PageCursor {
        guard let key = config.apiKey else { throw HTTPError.unauthorized("API_KEY is not configured") }
        return PageCursor(secret: key)
    }
}
