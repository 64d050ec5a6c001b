import Foundation

/// One write of a BatchWriteItem.
public enum DynamoDBWriteRequest: Sendable, Equatable {
    case put(item: DynamoDBItem)
    case delete(key: DynamoDBItem)

    var json: JSON {
        switch self {
        case .put(let item): .object(["PutRequest": .object(["Item": AttributeValue.json(item: item)])])
        case .delete(let key): .object(["DeleteRequest": .object(["Key": AttributeValue.json(item: key)])])
        }
    }

    init?(json: JSON) {
        if let item = json["PutRequest"]?["Item"], let parsed = try? AttributeValue.item(json: item) {
            self = .put(item: parsed)
        } else if let key = json["DeleteRequest"]?["Key"], let parsed = try? AttributeValue.item(json: key) {
            self = .delete(key: parsed)
        } else {
            return nil
        }
    }
}

/// One action of a TransactWriteItems.
public enum DynamoDBTransactItem: Sendable {
    case put(table: String, item: DynamoDBItem, condition: String? = nil,
             names: [String: String] = [:], values: DynamoDBItem = [:])
    case update(table: String, key: DynamoDBItem, update: String, condition: String? = nil,
                names: [String: String] = [:], values: DynamoDBItem = [:])
    case delete(table: String, key: DynamoDBItem, condition: String? = nil,
                names: [String: String] = [:], values: DynamoDBItem = [:])
    case conditionCheck(table: String, key: DynamoDBItem, condition: String,
                        names: [String: String] = [:], values: DynamoDBItem = [:])

    var json: JSON {
        func body(_ table: String, _ condition: String?, _ names: [String: String], _ values: DynamoDBItem,
                  _ extra: [String: JSON]) -> JSON {
            var fields = DynamoDBClient.expressionFields(names: names, values: values)
            fields["TableName"] = .string(table)
            if let condition { fields["ConditionExpression"] = .string(condition) }
            fields.merge(extra) { $1 }
            // The per-item reason then carries the current item, as the SDKs allow.
            if condition != nil { fields["ReturnValuesOnConditionCheckFailure"] = .string("ALL_OLD") }
            return .object(fields)
        }
        switch self {
        case .put(let table, let item, let condition, let names, let values):
            return .object(["Put": body(table, condition, names, values, ["Item": AttributeValue.json(item: item)])])
        case .update(let table, let key, let update, let condition, let names, let values):
            return .object(["Update": body(table, condition, names, values,
                                           ["Key": AttributeValue.json(item: key), "UpdateExpression": .string(update)])])
        case .delete(let table, let key, let condition, let names, let values):
            return .object(["Delete": body(table, condition, names, values, ["Key": AttributeValue.json(item: key)])])
        case .conditionCheck(let table, let key, let condition, let names, let values):
            return .object(["ConditionCheck": body(table, condition, names, values, ["Key": AttributeValue.json(item: key)])])
        }
    }
}

extension DynamoDBClient {
    /// The most writes one BatchWriteItem accepts.
    public static let batchWriteLimit = 25

    /// BatchWriteItem for any number of writes: sent in chunks of 25, and whatever
    /// DynamoDB leaves unprocessed is sent again with exponential backoff (jittered,
    /// as the retry strategy computes it). Throws `.throttling` when items remain
    /// unprocessed after `maxRounds` rounds.
    public func batchWriteItem(
        _ writes: [String: [DynamoDBWriteRequest]], maxRounds: Int = 8, options: AWSCallOptions = .standard
    ) throws(DynamoDBError) {
        var chunks: [[String: [DynamoDBWriteRequest]]] = []
        var current: [String: [DynamoDBWriteRequest]] = [:]
        var count = 0
        for (table, requests) in writes.sorted(by: { $0.key < $1.key }) {
            for request in requests {
                current[table, default: []].append(request)
                count += 1
                if count == Self.batchWriteLimit {
                    chunks.append(current)
                    current = [:]
                    count = 0
                }
            }
        }
        if count > 0 { chunks.append(current) }
        for chunk in chunks { try batchWriteChunk(chunk, maxRounds: maxRounds, options: options) }
    }

    private func batchWriteChunk(
        _ chunk: [String: [DynamoDBWriteRequest]], maxRounds: Int, options: AWSCallOptions
    ) throws(DynamoDBError) {
        var pending = chunk
        var round = 0
        while !pending.isEmpty {
            round += 1
            let body: [String: JSON] = ["RequestItems": .object(pending.mapValues { .array($0.map(\.json)) })]
            let response = try call("BatchWriteItem", body, options: options)
            var unprocessed: [String: [DynamoDBWriteRequest]] = [:]
            for (table, requests) in response["UnprocessedItems"]?.object ?? [:] {
                let parsed = (requests.array ?? []).compactMap(DynamoDBWriteRequest.init(json:))
                if !parsed.isEmpty { unprocessed[table] = parsed }
            }
            pending = unprocessed
            guard !pending.isEmpty else { return }
            let left = pending.values.reduce(0) { $0 + $1.count }
            guard round < maxRounds else {
                throw DynamoDBError.throttling(code: "UnprocessedItems",
                                               message: "\(left) writes still unprocessed after \(round) rounds")
            }
            let delay = executor.strategy.delay(afterAttempt: round)
            if let deadline = options.deadline, ContinuousClock.now + delay >= deadline {
                throw DynamoDBError.deadlineExceeded
            }
            logger.debug("batch write unprocessed items", metadata: ["count": "\(left)", "round": "\(round)"])
            executor.pause(delay)
        }
    }

    /// TransactWriteItems: all actions succeed or none do. A failed condition
    /// surfaces as `.transactionCanceled` with one reason per action.
    public func transactWriteItems(
        _ items: [DynamoDBTransactItem], clientRequestToken: String? = nil, options: AWSCallOptions = .standard
    ) throws(DynamoDBError) {
        var body: [String: JSON] = ["TransactItems": .array(items.map(\.json))]
        if let clientRequestToken { body["ClientRequestToken"] = .string(clientRequestToken) }
        _ = try call("TransactWriteItems", body, options: options)
    }
}
