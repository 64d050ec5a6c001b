import Foundation

/// The definition of a table to create (keys, indexes, billing).
public struct DynamoDBTableDefinition: Sendable {
    /// The scalar type of a key attribute.
    public enum KeyType: String, Sendable {
        case string = "S"
        case number = "N"
        case binary = "B"
    }

    /// A key attribute: name and type.
    public struct Key: Sendable, Equatable {
        public var name: String
        public var type: KeyType
        public init(_ name: String, _ type: KeyType = .string) {
            self.name = name
            self.type = type
        }
    }

    /// What an index projects.
    public enum Projection: Sendable, Equatable {
        case all
        case keysOnly
        case include([String])
    }

    /// A global secondary index.
    public struct GlobalSecondaryIndex: Sendable {
        public var name: String
        public var partitionKey: Key
        public var sortKey: Key?
        public var projection: Projection
        public init(name: String, partitionKey: Key, sortKey: Key? = nil, projection: Projection = .all) {
            self.name = name
            self.partitionKey = partitionKey
            self.sortKey = sortKey
            self.projection = projection
        }
    }

    public var name: String
    public var partitionKey: Key
    public var sortKey: Key?
    public var globalSecondaryIndexes: [GlobalSecondaryIndex]

    /// An on-demand (`PAY_PER_REQUEST`) table.
    public init(name: String, partitionKey: Key, sortKey: Key? = nil, globalSecondaryIndexes: [GlobalSecondaryIndex] = []) {
        self.name = name
        self.partitionKey = partitionKey
        self.sortKey = sortKey
        self.globalSecondaryIndexes = globalSecondaryIndexes
    }

    var json: [String: JSON] {
        var body: [String: JSON] = [
            "TableName": .string(name),
            "BillingMode": .string("PAY_PER_REQUEST"),
            "KeySchema": Self.keySchema(partitionKey, sortKey),
            "AttributeDefinitions": Self.attributeDefinitions(
                [partitionKey] + (sortKey.map { [$0] } ?? []) + globalSecondaryIndexes.flatMap(\.keys)),
        ]
        if !globalSecondaryIndexes.isEmpty {
            body["GlobalSecondaryIndexes"] = .array(globalSecondaryIndexes.map { .object($0.json) })
        }
        return body
    }

    static func keySchema(_ partition: Key, _ sort: Key?) -> JSON {
        var keys: [JSON] = [.object(["AttributeName": .string(partition.name), "KeyType": .string("HASH")])]
        if let sort { keys.append(.object(["AttributeName": .string(sort.name), "KeyType": .string("RANGE")])) }
        return .array(keys)
    }

    static func attributeDefinitions(_ keys: [Key]) -> JSON {
        var types: [String: KeyType] = [:]
        for key in keys { types[key.name] = key.type }
        return .array(types.keys.sorted().map {
            .object(["AttributeName": .string($0), "AttributeType": .string(types[$0]!.rawValue)])
        })
    }
}

extension DynamoDBTableDefinition.GlobalSecondaryIndex {
    var keys: [DynamoDBTableDefinition.Key] { [partitionKey] + (sortKey.map { [$0] } ?? []) }

    var json: [String: JSON] {
        var projectionJSON: [String: JSON]
        switch projection {
        case .all: projectionJSON = ["ProjectionType": .string("ALL")]
        case .keysOnly: projectionJSON = ["ProjectionType": .string("KEYS_ONLY")]
        case .include(let names):
            projectionJSON = ["ProjectionType": .string("INCLUDE"), "NonKeyAttributes": .array(names.map { .string($0) })]
        }
        return [
            "IndexName": .string(name),
            "KeySchema": DynamoDBTableDefinition.keySchema(partitionKey, sortKey),
            "Projection": .object(projectionJSON),
        ]
    }
}

/// What DescribeTable reports.
public struct DynamoDBTableDescription: Sendable {
    public var name: String
    /// `CREATING`, `ACTIVE`, `UPDATING`, `DELETING`, …
    public var status: String
    public var arn: String?
    public var itemCount: Int?
    /// Key attribute names: partition key first, then sort key.
    public var keySchema: [String]
    /// Global secondary index names and their statuses.
    public var globalSecondaryIndexes: [String: String]
    /// `PAY_PER_REQUEST` or `PROVISIONED`.
    public var billingMode: String?

    init(json: JSON) {
        name = json["TableName"]?.string ?? ""
        status = json["TableStatus"]?.string ?? "UNKNOWN"
        arn = json["TableArn"]?.string
        itemCount = json["ItemCount"]?.int
        let keys = json["KeySchema"]?.array ?? []
        keySchema = keys.sorted { ($0["KeyType"]?.string ?? "") < ($1["KeyType"]?.string ?? "") }
            .compactMap { $0["AttributeName"]?.string }
        var indexes: [String: String] = [:]
        for index in json["GlobalSecondaryIndexes"]?.array ?? [] {
            if let name = index["IndexName"]?.string { indexes[name] = index["IndexStatus"]?.string ?? "UNKNOWN" }
        }
        globalSecondaryIndexes = indexes
        billingMode = json["BillingModeSummary"]?["BillingMode"]?.string
    }
}

/// What DescribeTimeToLive reports.
public struct DynamoDBTimeToLive: Sendable, Equatable {
    /// `ENABLED`, `ENABLING`, `DISABLED`, `DISABLING`.
    public var status: String
    /// The TTL attribute, when set.
    public var attributeName: String?
}

extension DynamoDBClient {
    /// CreateTable. Throws `.resourceInUse` when the table already exists.
    @discardableResult
    public func createTable(_ definition: DynamoDBTableDefinition,
                            options: AWSCallOptions = .standard) throws(DynamoDBError) -> DynamoDBTableDescription {
        let response = try call("CreateTable", definition.json, options: options)
        return DynamoDBTableDescription(json: response["TableDescription"] ?? .object([:]))
    }

    /// UpdateTable adding a global secondary index to an existing on-demand
    /// table. DynamoDB backfills it in the background; `waitUntilActive` waits.
    public func addGlobalSecondaryIndex(_ index: DynamoDBTableDefinition.GlobalSecondaryIndex, table: String,
                                        options: AWSCallOptions = .standard) throws(DynamoDBError) {
        _ = try call("UpdateTable", [
            "TableName": .string(table),
            "AttributeDefinitions": DynamoDBTableDefinition.attributeDefinitions(index.keys),
            "GlobalSecondaryIndexUpdates": .array([.object(["Create": .object(index.json)])]),
        ], options: options)
    }

    /// DescribeTable. Throws `.resourceNotFound` when there is no such table.
    public func describeTable(_ name: String, options: AWSCallOptions = .standard) throws(DynamoDBError) -> DynamoDBTableDescription {
        let response = try call("DescribeTable", ["TableName": .string(name)], options: options)
        return DynamoDBTableDescription(json: response["Table"] ?? .object([:]))
    }

    /// DescribeTable, nil when the table does not exist.
    public func tableIfExists(_ name: String, options: AWSCallOptions = .standard) throws(DynamoDBError) -> DynamoDBTableDescription? {
        do {
            return try describeTable(name, options: options)
        } catch .resourceNotFound {
            return nil
        }
    }

    /// Polls DescribeTable until the table and all its indexes are `ACTIVE`.
    @discardableResult
    public func waitUntilActive(_ name: String, timeout: Duration = .seconds(300),
                                pollInterval: Duration = .milliseconds(500)) throws(DynamoDBError) -> DynamoDBTableDescription {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let table = try tableIfExists(name),
               table.status == "ACTIVE", table.globalSecondaryIndexes.values.allSatisfy({ $0 == "ACTIVE" }) {
                return table
            }
            guard ContinuousClock.now + pollInterval < deadline else { throw DynamoDBError.deadlineExceeded }
            Thread.sleep(forTimeInterval: Double(pollInterval.components.seconds)
                         + Double(pollInterval.components.attoseconds) / 1e18)
        }
    }

    /// UpdateTimeToLive: enables (or disables) expiry on `attribute`.
    public func updateTimeToLive(table: String, attribute: String, enabled: Bool = true,
                                 options: AWSCallOptions = .standard) throws(DynamoDBError) {
        _ = try call("UpdateTimeToLive", [
            "TableName": .string(table),
            "TimeToLiveSpecification": .object(["AttributeName": .string(attribute), "Enabled": .bool(enabled)]),
        ], options: options)
    }

    /// DescribeTimeToLive.
    public func describeTimeToLive(table: String, options: AWSCallOptions = .standard) throws(DynamoDBError) -> DynamoDBTimeToLive {
        let response = try call("DescribeTimeToLive", ["TableName": .string(table)], options: options)
        let description = response["TimeToLiveDescription"]
        return DynamoDBTimeToLive(status: description?["TimeToLiveStatus"]?.string ?? "DISABLED",
                                  attributeName: description?["AttributeName"]?.string)
    }

    /// ListTables, all pages.
    public func listTables(options: AWSCallOptions = .standard) throws(DynamoDBError) -> [String] {
        var names: [String] = []
        var start: String? = nil
        repeat {
            var body: [String: JSON] = [:]
            if let start { body["ExclusiveStartTableName"] = .string(start) }
            let response = try call("ListTables", body, options: options)
            names.append(contentsOf: (response["TableNames"]?.array ?? []).compactMap(\.string))
            start = response["LastEvaluatedTableName"]?.string
        } while start != nil
        return names
    }

    /// DeleteTable.
    public func deleteTable(_ name: String, options: AWSCallOptions = .standard) throws(DynamoDBError) {
        _ = try call("DeleteTable", ["TableName": .string(name)], options: options)
    }
}
