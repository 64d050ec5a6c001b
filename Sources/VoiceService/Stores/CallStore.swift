import AWS
import Foundation
import Voice

/// `VoiceAssistant_Calls` in DynamoDB.
public struct CallStore: Sendable {
    let dynamo: DynamoDBClient
    let table: String

    public static let agentRecipientIndex = "AgentRecipientIndex"
    public static let recipientIndex = "RecipientIndex"
    public static let statusIndex = "StatusIndex"
    public static let agentStartedIndex = "AgentStartedIndex"

    public init(dynamo: DynamoDBClient, table: String) {
        self.dynamo = dynamo
        self.table = table
    }

    /// Creates the record unless one exists for the SID already, so a webhook
    /// Twilio retries never duplicates or overwrites a call. Returns false when
    /// it existed.
    @discardableResult
    public func create(_ record: CallRecord, options: AWSCallOptions = .standard) throws -> Bool {
        do {
            try dynamo.putItem(table: table, value: record, condition: "attribute_not_exists(call_sid)",
                               options: options)
            return true
        } catch .conditionalCheckFailed {
            return false
        }
    }

    public func record(_ callSid: String, options: AWSCallOptions = .standard) throws -> CallRecord? {
        try dynamo.getItem(CallRecord.self, table: table, key: ["call_sid": .string(callSid)], consistentRead: true,
                           options: options)
    }

    /// The last `limit` calls between an agent and a number, newest first.
    public func pastCalls(agentId: String, recipientPhone: String, limit: Int = 5,
                          options: AWSCallOptions = .standard) throws -> [CallRecord] {
        let query = DynamoDBQuery(
            table: table, index: Self.agentRecipientIndex,
            keyCondition: "agent_id = :agent AND begins_with(agent_recipient_key, :prefix)",
            values: [
                ":agent": .string(agentId),
                ":prefix": .string(CallRecord.agentRecipientPrefix(agentId: agentId, recipientPhone: recipientPhone)),
            ],
            limit: limit, scanIndexForward: false)
        return try dynamo.query(query, options: options).decode(CallRecord.self)
    }

    /// Calls to or from a number, newest first.
    public func calls(recipientPhone: String, limit: Int = 20, options: AWSCallOptions = .standard) throws -> [CallRecord] {
        let query = DynamoDBQuery(
            table: table, index: Self.recipientIndex, keyCondition: "recipient_phone = :phone",
            values: [":phone": .string(recipientPhone)], limit: limit, scanIndexForward: false)
        return try dynamo.query(query, options: options).decode(CallRecord.self)
    }

    /// Calls with a status, newest first.
    public func calls(status: CallStatus, limit: Int = 20, options: AWSCallOptions = .standard) throws -> [CallRecord] {
        let query = DynamoDBQuery(
            table: table, index: Self.statusIndex, keyCondition: "#status = :status",
            names: ["#status": "status"], values: [":status": .string(status.rawValue)], limit: limit,
            scanIndexForward: false)
        return try dynamo.query(query, options: options).decode(CallRecord.self)
    }
}
