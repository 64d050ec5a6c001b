import AWS
import Foundation
import Logging
import Remo

/// Reading the remo tables' items: decoding each on its own, and leaving out the
/// ones whose `ttl` has passed. DynamoDB deletes expired items only eventually
/// (the local emulator never), so every read must skip them itself.
struct StoredItems: Sendable {
    let dynamo: DynamoDBClient
    let logger: Logger
    private let decoder = DynamoDBDecoder()

    init(dynamo: DynamoDBClient, logger: Logger) {
        self.dynamo = dynamo
        self.logger = logger
    }

    /// Every item the query matches (all pages), decoded, unexpired at `now`.
    /// An item that does not decode is logged and left out rather than failing the
    /// whole listing: one malformed row written by another tool must not hide the rest.
    func all<T: Decodable>(_ type: T.Type, _ query: DynamoDBQuery, now: Date) throws(DynamoDBError) -> [T] {
        try dynamo.queryAll(query).compactMap { decodeLive(type, $0, now: now) }
    }

    /// `item` decoded, or nil when it has expired at `now` or does not decode.
    func decodeLive<T: Decodable>(_ type: T.Type, _ item: DynamoDBItem, now: Date) -> T? {
        if Retention.isExpired(ttl: item["ttl"]?.numberText.flatMap { Int64($0) }, now: now) { return nil }
        do {
            return try decoder.decode(type, from: item)
        } catch {
            logger.warning("skipping an item that does not decode", metadata: ["type": "\(T.self)", "reason": "\(error)"])
            return nil
        }
    }

    /// The condition that makes an update or delete touch only a live item:
    /// `key` exists and its `ttl` (when it has one) has not passed. Uses `#ttl`
    /// and `:now`; see `liveNames` and `liveValues`.
    static func liveCondition(key: String) -> String {
        "attribute_exists(\(key)) AND (attribute_not_exists(#ttl) OR #ttl > :now)"
    }

    static let liveNames = ["#ttl": "ttl"]

    static func liveValues(_ now: Date) -> DynamoDBItem {
        [":now": .int(Int64(now.timeIntervalSince1970.rounded(.down)))]
    }

    /// Sets `attributes` and `updated_at` on one live item of a user's table;
    /// nil when there is no such live item.
    func updateLive<T: Decodable>(
        _ type: T.Type, table: String, key: DynamoDBItem, sortKey: String, now: Date, set attributes: DynamoDBItem
    ) throws(RemoStoreError) -> T? {
        let change = ItemUpdate(attributes, now: now)
        do {
            let updated = try dynamo.updateItem(
                table: table, key: key, update: change.expression, condition: Self.liveCondition(key: sortKey),
                names: change.names.merging(Self.liveNames) { $1 },
                values: change.values.merging(Self.liveValues(now)) { $1 }, returnValues: .allNew)
            return updated.flatMap { decodeLive(type, $0, now: now) }
        } catch .conditionalCheckFailed {
            return nil
        } catch {
            throw RemoStoreError(error)
        }
    }

    /// Deletes one live item; returns it, or nil when there was no such live item.
    func deleteLive<T: Decodable>(_ type: T.Type, table: String, key: DynamoDBItem, sortKey: String,
                                  now: Date) throws(RemoStoreError) -> T? {
        do {
            let old = try dynamo.deleteItem(
                table: table, key: key, condition: Self.liveCondition(key: sortKey), names: Self.liveNames,
                values: Self.liveValues(now), returnValues: .allOld)
            return old.flatMap { decodeLive(type, $0, now: now) }
        } catch .conditionalCheckFailed {
            return nil
        } catch {
            throw RemoStoreError(error)
        }
    }

    /// Deletes every item of `userId` in `table`, expired ones included; returns how many.
    func deleteAll(table: String, userId: String, sortKey: String) throws(RemoStoreError) -> Int {
        let query = DynamoDBQuery(table: table, keyCondition: "user_id = :user", projection: "user_id, \(sortKey)",
                                  values: [":user": .string(userId)], consistentRead: true)
        do {
            let keys = try dynamo.queryAll(query)
            try deleteAll(table: table, keys: keys)
            return keys.count
        } catch {
            throw RemoStoreError(error)
        }
    }

    /// Deletes every key in `keys` from `table`, 25 a request.
    func deleteAll(table: String, keys: [DynamoDBItem]) throws(DynamoDBError) {
        guard !keys.isEmpty else { return }
        try dynamo.batchWriteItem([table: keys.map { .delete(key: $0) }])
    }
}
