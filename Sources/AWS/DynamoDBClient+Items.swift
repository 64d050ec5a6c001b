import Foundation

extension DynamoDBClient {
    /// GetItem: the item with `key`, or nil.
    public func getItem(
        table: String, key: DynamoDBItem, consistentRead: Bool = false, projection: String? = nil,
        names: [String: String] = [:], options: AWSCallOptions = .standard
    ) throws(DynamoDBError) -> DynamoDBItem? {
        var body = Self.expressionFields(names: names, values: [:])
        body["TableName"] = .string(table)
        body["Key"] = AttributeValue.json(item: key)
        if consistentRead { body["ConsistentRead"] = .bool(true) }
        if let projection { body["ProjectionExpression"] = .string(projection) }
        return try item(try call("GetItem", body, options: options)["Item"], "GetItem")
    }

    /// GetItem decoded into `type`, or nil when there is no such item.
    public func getItem<T: Decodable>(
        _ type: T.Type, table: String, key: DynamoDBItem, consistentRead: Bool = false,
        options: AWSCallOptions = .standard
    ) throws(DynamoDBError) -> T? {
        guard let found = try getItem(table: table, key: key, consistentRead: consistentRead, options: options) else {
            return nil
        }
        return try decode(type, found)
    }

    /// PutItem, optionally conditional (e.g. `attribute_not_exists(call_sid)`).
    /// Returns the old item when `returnValues` is `.allOld`.
    @discardableResult
    public func putItem(
        table: String, item newItem: DynamoDBItem, condition: String? = nil, names: [String: String] = [:],
        values: DynamoDBItem = [:], returnValues: DynamoDBReturnValues = .none,
        returnItemOnConditionFailure: Bool = false, options: AWSCallOptions = .standard
    ) throws(DynamoDBError) -> DynamoDBItem? {
        var body = Self.expressionFields(names: names, values: values)
        body["TableName"] = .string(table)
        body["Item"] = AttributeValue.json(item: newItem)
        if let condition { body["ConditionExpression"] = .string(condition) }
        if returnValues != .none { body["ReturnValues"] = .string(returnValues.rawValue) }
        if returnItemOnConditionFailure { body["ReturnValuesOnConditionCheckFailure"] = .string("ALL_OLD") }
        return try item(try call("PutItem", body, options: options)["Attributes"], "PutItem")
    }

    /// PutItem of an `Encodable` value.
    public func putItem<T: Encodable>(
        table: String, value: T, condition: String? = nil, names: [String: String] = [:],
        values: DynamoDBItem = [:], options: AWSCallOptions = .standard
    ) throws(DynamoDBError) {
        try putItem(table: table, item: try encode(value), condition: condition, names: names, values: values,
                    options: options)
    }

    /// UpdateItem with an update expression (`SET #s = :s, updated_at = :now`).
    @discardableResult
    public func updateItem(
        table: String, key: DynamoDBItem, update: String, condition: String? = nil,
        names: [String: String] = [:], values: DynamoDBItem = [:], returnValues: DynamoDBReturnValues = .none,
        returnItemOnConditionFailure: Bool = false, options: AWSCallOptions = .standard
    ) throws(DynamoDBError) -> DynamoDBItem? {
        var body = Self.expressionFields(names: names, values: values)
        body["TableName"] = .string(table)
        body["Key"] = AttributeValue.json(item: key)
        body["UpdateExpression"] = .string(update)
        if let condition { body["ConditionExpression"] = .string(condition) }
        if returnValues != .none { body["ReturnValues"] = .string(returnValues.rawValue) }
        if returnItemOnConditionFailure { body["ReturnValuesOnConditionCheckFailure"] = .string("ALL_OLD") }
        return try item(try call("UpdateItem", body, options: options)["Attributes"], "UpdateItem")
    }

    /// DeleteItem, optionally conditional. Returns the old item when `returnValues` is `.allOld`.
    @discardableResult
    public func deleteItem(
        table: String, key: DynamoDBItem, condition: String? = nil, names: [String: String] = [:],
        values: DynamoDBItem = [:], returnValues: DynamoDBReturnValues = .none, options: AWSCallOptions = .standard
    ) throws(DynamoDBError) -> DynamoDBItem? {
        var body = Self.expressionFields(names: names, values: values)
        body["TableName"] = .string(table)
        body["Key"] = AttributeValue.json(item: key)
        if let condition { body["ConditionExpression"] = .string(condition) }
        if returnValues != .none { body["ReturnValues"] = .string(returnValues.rawValue) }
        return try item(try call("DeleteItem", body, options: options)["Attributes"], "DeleteItem")
    }
}
