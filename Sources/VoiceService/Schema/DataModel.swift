import AWS
import Common

/// The seven DynamoDB tables of DESIGN.md section 5, with the names from config.
/// All are PAY_PER_REQUEST; the remo tables expire items through `ttl`.
public struct DataModel: Sendable {
    public struct Table: Sendable {
        public let definition: DynamoDBTableDefinition
        /// The TTL attribute, for tables whose items expire.
        public let ttlAttribute: String?
    }

    public let tables: [Table]

    public init(_ names: AppConfig.Tables) {
        typealias Key = DynamoDBTableDefinition.Key
        typealias Index = DynamoDBTableDefinition.GlobalSecondaryIndex
        tables = [
            Table(definition: DynamoDBTableDefinition(
                name: names.agents, partitionKey: Key("agent_id"),
                globalSecondaryIndexes: [Index(name: "StatusIndex", partitionKey: Key("status"), sortKey: Key("created_at"))]),
                  ttlAttribute: nil),
            Table(definition: DynamoDBTableDefinition(
                name: names.calls, partitionKey: Key("call_sid"),
                globalSecondaryIndexes: [
                    Index(name: "AgentRecipientIndex", partitionKey: Key("agent_id"), sortKey: Key("agent_recipient_key")),
                    Index(name: "RecipientIndex", partitionKey: Key("recipient_phone"), sortKey: Key("started_at")),
                    Index(name: "StatusIndex", partitionKey: Key("status"), sortKey: Key("started_at")),
                    // Ours, not the original's: an agent's calls newest first, for the calls API and analytics.
                    Index(name: "AgentStartedIndex", partitionKey: Key("agent_id"), sortKey: Key("started_at")),
                ]),
                  ttlAttribute: nil),
            Table(definition: DynamoDBTableDefinition(
                name: names.phoneNumbers, partitionKey: Key("phone_number"),
                globalSecondaryIndexes: [Index(name: "AgentIndex", partitionKey: Key("assigned_agent_id"))]),
                  ttlAttribute: nil),
            Table(definition: DynamoDBTableDefinition(
                name: names.reminders, partitionKey: Key("user_id"), sortKey: Key("reminder_id"),
                globalSecondaryIndexes: [Index(name: "status-index", partitionKey: Key("user_id"), sortKey: Key("status"))]),
                  ttlAttribute: "ttl"),
            Table(definition: DynamoDBTableDefinition(
                name: names.todos, partitionKey: Key("user_id"), sortKey: Key("todo_id"),
                globalSecondaryIndexes: [
                    Index(name: "status-index", partitionKey: Key("user_id"), sortKey: Key("status")),
                    Index(name: "priority-index", partitionKey: Key("user_id"), sortKey: Key("priority")),
                ]),
                  ttlAttribute: "ttl"),
            Table(definition: DynamoDBTableDefinition(name: names.users, partitionKey: Key("privy_id")),
                  ttlAttribute: nil),
            Table(definition: DynamoDBTableDefinition(
                name: names.conversations, partitionKey: Key("user_id"), sortKey: Key("timestamp")),
                  ttlAttribute: "ttl"),
        ]
    }
}
