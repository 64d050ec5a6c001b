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

    /// Deletes every key in `keys` from `table`, 25 a request.
    func deleteAll(table: String, keys: [DynamoDBItem]) throws(DynamoDBError) {
        guard !keys.isEmpty else { return }
        try dynamo.batchWriteItem([table: keys.map { .delete(key: $0) }])
    }
}
