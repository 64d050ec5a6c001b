import AWS
import Foundation
import Voice

/// `VoiceAssistant_Agents` for the operator's API: listing by status, and
/// writes that never overwrite a change made meanwhile.
public struct AgentStore: Sendable {
    let dynamo: DynamoDBClient
    let table: String

    public static let statusIndex = "StatusIndex"

    public init(dynamo: DynamoDBClient, table: String) {
        self.dynamo = dynamo
        self.table = table
    }

    /// One page of agents with `status`, newest first, and the key to continue after it.
    public func page(status: AgentStatus, limit: Int, after start: [String: String]?,
                     options: AWSCallOptions) throws -> (agents: [Agent], next: [String: String]?) {
        let query = DynamoDBQuery(
            table: table, index: Self.statusIndex, keyCondition: "#status = :status", names: ["#status": "status"],
            values: [":status": .string(status.rawValue)], limit: limit, scanIndexForward: false,
            exclusiveStartKey: start.map { $0.mapValues { AttributeValue.string($0) } })
        let page = try dynamo.query(query, options: options)
        let next = page.lastEvaluatedKey.map { key in
            key.compactMapValues { value -> String? in
                if case .string(let text) = value { return text }
                return nil
            }
        }
        return (try page.decode(Agent.self), next)
    }

    /// An agent as stored, with its `updated_at` exactly as written (the
    /// original system wrote its own format), for `replace` to check against.
    public struct Stored: Sendable {
        public var agent: Agent
        let updatedAt: AttributeValue?
    }

    public func agent(_ agentId: String, options: AWSCallOptions) throws -> Stored? {
        guard let item = try dynamo.getItem(table: table, key: ["agent_id": .string(agentId)], consistentRead: true,
                                            options: options) else { return nil }
        return Stored(agent: try DynamoDBDecoder().decode(Agent.self, from: item), updatedAt: item["updated_at"])
    }

    /// Stores a new agent; false when one with its id exists.
    public func create(_ agent: Agent, options: AWSCallOptions) throws -> Bool {
        do {
            try dynamo.putItem(table: table, value: agent, condition: "attribute_not_exists(agent_id)", options: options)
            return true
        } catch .conditionalCheckFailed {
            return false
        }
    }

    /// Replaces an agent only if it is still as read (`updated_at` unchanged);
    /// false when it changed or went away meanwhile.
    public func replace(_ agent: Agent, readAs previous: Stored, options: AWSCallOptions) throws -> Bool {
        var values: DynamoDBItem = [:]
        let condition: String
        if let stamp = previous.updatedAt {
            condition = "attribute_exists(agent_id) AND updated_at = :previous"
            values[":previous"] = stamp
        } else {
            condition = "attribute_exists(agent_id) AND attribute_not_exists(updated_at)"
        }
        do {
            try dynamo.putItem(table: table, value: agent, condition: condition, values: values, options: options)
            return true
        } catch .conditionalCheckFailed {
            return false
        }
    }
}
