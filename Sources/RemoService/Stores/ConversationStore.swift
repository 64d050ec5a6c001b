import AWS
import Foundation
import Remo

/// One user's conversation memory in `remo-conversations` (PK `user_id`, SK
/// `timestamp`, TTL 30 days), bound to that user id.
public struct ConversationStore: Sendable {
    /// What `recent` returns when asked for no particular number.
    public static let defaultLimit = 50
    /// Attempts at a free sort key before giving up.
    static let maximumAttempts = 8

    /// The user whose messages this store reaches.
    public let userId: String
    private let table: String
    private let items: StoredItems

    init(userId: String, table: String, items: StoredItems) {
        self.userId = userId
        self.table = table
        self.items = items
    }

    /// Appends `message`, never overwriting another: the write is conditional on
    /// the timestamp being free, and on a clash (two requests in one microsecond,
    /// clocks of two hosts apart, or the pinned test clock) it moves just after the
    /// user's newest message and tries again. Returns the message as stored.
    @discardableResult
    public func append(_ message: ChatMessage) throws(RemoStoreError) -> ChatMessage {
        guard message.userId == userId else { throw .wrongOwner }
        var candidate = message
        for _ in 0..<Self.maximumAttempts {
            do {
                try items.dynamo.putItem(table: table, value: candidate, condition: "attribute_not_exists(#ts)",
                                         names: ["#ts": "timestamp"])
                return candidate
            } catch .conditionalCheckFailed {
                let newest: String
                do { newest = try newestTimestamp() ?? candidate.timestamp } catch { throw RemoStoreError(error) }
                candidate.timestamp = Self.timestamp(after: max(newest, candidate.timestamp))
            } catch {
                throw RemoStoreError(error)
            }
        }
        throw RemoStoreError(.conditionalCheckFailed(
            message: "no free timestamp after \(Self.maximumAttempts) attempts", item: nil))
    }

    /// The user's message and the reply, in that order, the reply always after the message.
    @discardableResult
    public func appendExchange(message: String, reply: String, at date: Date) throws(RemoStoreError) -> [ChatMessage] {
        let question = try append(ChatMessage(userId: userId, role: .user, content: message, at: date))
        let answer = ChatMessage(userId: userId, timestamp: ChatMessage.timestamp(after: question.timestamp) ?? question.timestamp,
                                 role: .assistant, content: reply, ttl: question.ttl)
        return [question, try append(answer)]
    }

    /// The last `limit` unexpired messages, oldest first (newest last).
    public func recent(limit: Int = ConversationStore.defaultLimit, now: Date) throws(RemoStoreError) -> [ChatMessage] {
        guard limit > 0 else { return [] }
        let query = DynamoDBQuery(table: table, keyCondition: "user_id = :user", values: [":user": .string(userId)],
                                  limit: limit, scanIndexForward: false, consistentRead: true)
        do {
            let page = try items.dynamo.query(query)
            return page.items.compactMap { items.decodeLive(ChatMessage.self, $0, now: now) }.reversed()
        } catch {
            throw RemoStoreError(error)
        }
    }

    /// Deletes every message of the user, all pages; returns how many.
    public func deleteAll() throws(RemoStoreError) -> Int {
        let query = DynamoDBQuery(table: table, keyCondition: "user_id = :user", projection: "user_id, #ts",
                                  names: ["#ts": "timestamp"], values: [":user": .string(userId)], consistentRead: true)
        do {
            let keys = try items.dynamo.queryAll(query)
            try items.deleteAll(table: table, keys: keys)
            return keys.count
        } catch {
            throw RemoStoreError(error)
        }
    }

    /// A key after `timestamp`, up to half a millisecond later at random: writers
    /// that clashed on one key and all read the same newest key would otherwise
    /// clash again on the key right after it.
    static func timestamp(after timestamp: String) -> String {
        guard let date = UTCTimestamp.date(from: timestamp) else {
            // A key the original system wrote in another shape: any longer string sorts after it.
            return timestamp + "0"
        }
        let jittered = UTCTimestamp.string(from: date + Double(Int.random(in: 0..<500)) / 1e6, fractionDigits: 6)
        return ChatMessage.timestamp(after: max(jittered, timestamp)) ?? jittered
    }

    private func newestTimestamp() throws(DynamoDBError) -> String? {
        let query = DynamoDBQuery(table: table, keyCondition: "user_id = :user", projection: "#ts",
                                  names: ["#ts": "timestamp"], values: [":user": .string(userId)], limit: 1,
                                  scanIndexForward: false, consistentRead: true)
        return try items.dynamo.query(query).items.first?["timestamp"]?.stringValue
    }
}
