import Foundation

/// The parameters of a Query.
public struct DynamoDBQuery: Sendable {
    public var table: String
    /// A global or local secondary index, or nil for the table.
    public var index: String?
    /// E.g. `agent_id = :a AND begins_with(agent_recipient_key, :p)`.
    public var keyCondition: String
    /// Applied after reading: `Limit` counts items before the filter.
    public var filter: String?
    public var projection: String?
    public var names: [String: String]
    public var values: DynamoDBItem
    /// Items to evaluate per page.
    public var limit: Int?
    /// False for descending sort-key order (newest first).
    public var scanIndexForward: Bool
    /// `LastEvaluatedKey` of the previous page.
    public var exclusiveStartKey: DynamoDBItem?
    public var consistentRead: Bool

    /// A query; see the properties for each parameter.
    public init(table: String, index: String? = nil, keyCondition: String, filter: String? = nil,
                projection: String? = nil, names: [String: String] = [:], values: DynamoDBItem = [:],
                limit: Int? = nil, scanIndexForward: Bool = true, exclusiveStartKey: DynamoDBItem? = nil,
                consistentRead: Bool = false) {
        self.table = table
        self.index = index
        self.keyCondition = keyCondition
        self.filter = filter
        self.projection = projection
        self.names = names
        self.values = values
        self.limit = limit
        self.scanIndexForward = scanIndexForward
        self.exclusiveStartKey = exclusiveStartKey
        self.consistentRead = consistentRead
    }
}

/// The parameters of a Scan.
public struct DynamoDBScan: Sendable {
    public var table: String
    public var index: String?
    public var filter: String?
    public var projection: String?
    public var names: [String: String]
    public var values: DynamoDBItem
    public var limit: Int?
    public var exclusiveStartKey: DynamoDBItem?
    public var consistentRead: Bool

    /// A scan; see the properties for each parameter.
    public init(table: String, index: String? = nil, filter: String? = nil, projection: String? = nil,
                names: [String: String] = [:], values: DynamoDBItem = [:], limit: Int? = nil,
                exclusiveStartKey: DynamoDBItem? = nil, consistentRead: Bool = false) {
        self.table = table
        self.index = index
        self.filter = filter
        self.projection = projection
        self.names = names
        self.values = values
        self.limit = limit
        self.exclusiveStartKey = exclusiveStartKey
        self.consistentRead = consistentRead
    }
}

/// One page of Query or Scan results.
public struct DynamoDBPage: Sendable {
    public var items: [DynamoDBItem]
    /// Where the next page starts; nil on the last page.
    public var lastEvaluatedKey: DynamoDBItem?
    /// Items returned (after the filter).
    public var count: Int
    /// Items read (before the filter).
    public var scannedCount: Int

    /// The items decoded into `type`.
    public func decode<T: Decodable>(_ type: T.Type) throws -> [T] {
        let decoder = DynamoDBDecoder()
        return try items.map { try decoder.decode(type, from: $0) }
    }
}

extension DynamoDBClient {
    /// One page of a Query.
    public func query(_ query: DynamoDBQuery, options: AWSCallOptions = .standard) throws(DynamoDBError) -> DynamoDBPage {
        var body = Self.expressionFields(names: query.names, values: query.values)
        body["TableName"] = .string(query.table)
        body["KeyConditionExpression"] = .string(query.keyCondition)
        if let index = query.index { body["IndexName"] = .string(index) }
        if let filter = query.filter { body["FilterExpression"] = .string(filter) }
        if let projection = query.projection { body["ProjectionExpression"] = .string(projection) }
        if let limit = query.limit { body["Limit"] = .number(String(limit)) }
        if !query.scanIndexForward { body["ScanIndexForward"] = .bool(false) }
        if let start = query.exclusiveStartKey { body["ExclusiveStartKey"] = AttributeValue.json(item: start) }
        if query.consistentRead { body["ConsistentRead"] = .bool(true) }
        return try page(try call("Query", body, options: options), "Query")
    }

    /// Every item a Query matches, following `LastEvaluatedKey` page after page.
    /// `maxItems` stops early (the query's `limit` still sets the page size).
    public func queryAll(_ query: DynamoDBQuery, maxItems: Int? = nil,
                         options: AWSCallOptions = .standard) throws(DynamoDBError) -> [DynamoDBItem] {
        var query = query
        var items: [DynamoDBItem] = []
        while true {
            let page = try self.query(query, options: options)
            items.append(contentsOf: page.items)
            if let maxItems, items.count >= maxItems { return Array(items.prefix(maxItems)) }
            guard let next = page.lastEvaluatedKey else { return items }
            query.exclusiveStartKey = next
        }
    }

    /// Every item a Query matches, decoded into `type`.
    public func queryAll<T: Decodable>(_ type: T.Type, _ query: DynamoDBQuery, maxItems: Int? = nil,
                                       options: AWSCallOptions = .standard) throws(DynamoDBError) -> [T] {
        var out: [T] = []
        for found in try queryAll(query, maxItems: maxItems, options: options) { out.append(try decode(type, found)) }
        return out
    }

    /// One page of a Scan.
    public func scan(_ scan: DynamoDBScan, options: AWSCallOptions = .standard) throws(DynamoDBError) -> DynamoDBPage {
        var body = Self.expressionFields(names: scan.names, values: scan.values)
        body["TableName"] = .string(scan.table)
        if let index = scan.index { body["IndexName"] = .string(index) }
        if let filter = scan.filter { body["FilterExpression"] = .string(filter) }
        if let projection = scan.projection { body["ProjectionExpression"] = .string(projection) }
        if let limit = scan.limit { body["Limit"] = .number(String(limit)) }
        if let start = scan.exclusiveStartKey { body["ExclusiveStartKey"] = AttributeValue.json(item: start) }
        if scan.consistentRead { body["ConsistentRead"] = .bool(true) }
        return try page(try call("Scan", body, options: options), "Scan")
    }

    /// Every item of a Scan, page after page.
    public func scanAll(_ scan: DynamoDBScan, options: AWSCallOptions = .standard) throws(DynamoDBError) -> [DynamoDBItem] {
        var scan = scan
        var items: [DynamoDBItem] = []
        while true {
            let page = try self.scan(scan, options: options)
            items.append(contentsOf: page.items)
            guard let next = page.lastEvaluatedKey else { return items }
            scan.exclusiveStartKey = next
        }
    }

    private func page(_ json: JSON, _ operation: String) throws(DynamoDBError) -> DynamoDBPage {
        var items: [DynamoDBItem] = []
        for entry in json["Items"]?.array ?? [] {
            if let parsed = try item(entry, operation) { items.append(parsed) }
        }
        return DynamoDBPage(items: items, lastEvaluatedKey: try item(json["LastEvaluatedKey"], operation),
                            count: json["Count"]?.int ?? items.count, scannedCount: json["ScannedCount"]?.int ?? items.count)
    }
}
