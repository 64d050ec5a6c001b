import Common
import Foundation
import SessionDB
import Voice

/// What `/make-call` gathers for a call's answer while the phone rings: the
/// agent as it was when the call was placed and the last calls with this
/// number. The answer webhook then reads SessionDB only.
public struct PreparedCall: Codable, Sendable, Equatable {
    public var agent: Agent
    public var recipientPhone: String
    /// Nil while the past calls are being fetched; empty when there are none
    /// or DynamoDB could not say in time.
    public var pastCalls: [PastCall]?
    /// Set once Twilio accepted the call.
    public var callSid: String?

    public init(agent: Agent, recipientPhone: String, pastCalls: [PastCall]? = nil, callSid: String? = nil) {
        self.agent = agent
        self.recipientPhone = recipientPhone
        self.pastCalls = pastCalls
        self.callSid = callSid
    }

    enum CodingKeys: String, CodingKey {
        case agent
        case recipientPhone = "recipient_phone"
        case pastCalls = "past_calls"
        case callSid = "call_sid"
    }
}

/// Stored compactly: `/make-call` writes an entry and changes it once, inside
/// the host's one write lock, and the answer reads it. The agent is kept as its
/// JSON, which `AgentJSONCache` encodes and decodes once per agent and process.
extension PreparedCall: CompactCodable {
    static let format: UInt8 = 1

    public init(compact input: inout CompactReader) throws {
        guard try input.readByte() == Self.format else { throw CompactDecodingError.invalid("prepared call format") }
        agent = try AgentJSONCache.shared.agent(from: try input.readBytes())
        recipientPhone = try input.readString()
        pastCalls = try input.readOptional { try $0.readArray(PastCall.init(compact:)) }
        callSid = try input.readOptionalString()
    }

    public func encode(compact out: inout CompactWriter) {
        out.write(Self.format)
        // Encoding an agent cannot fail (strings, numbers and collections of them).
        out.write(bytes: (try? AgentJSONCache.shared.json(for: agent)) ?? [])
        out.write(recipientPhone)
        out.write(pastCalls) { out, calls in out.write(calls, PastCall.write) }
        out.write(callSid)
    }
}

/// Prepared calls in SessionDB, keyed by a random id that `/make-call` puts in
/// the answer URL (`prep=`) before it asks Twilio to dial, so the answer can
/// never arrive before its entry exists. Entries expire after `ttl` (a call
/// that never rang) and are pruned by the worker.
public struct PreparedCalls: Sendable {
    private let database: SessionDB
    private let store: Store<ExpiringValue<PreparedCall>>
    public let ttl: Double

    public init(database: SessionDB, ttl: Double = 3600) throws {
        self.database = database
        store = try database.store(SessionDBLayout.preparedCalls, of: ExpiringValue<PreparedCall>.self)
        self.ttl = ttl
    }

    public static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(generator.next() as UInt64, radix: 36) }.joined()
    }

    public func put(_ id: String, _ call: PreparedCall, now: Double = Date().timeIntervalSince1970) throws {
        try database.put(store, id, ExpiringValue(value: call, storedAt: now, ttl: ttl))
    }

    /// Changes an entry that still exists (the answer may have taken it already).
    public func update(_ id: String, _ change: (inout PreparedCall) -> Void) throws {
        try database.write { txn in
            guard var entry = try txn.get(store, id) else { return }
            change(&entry.value)
            try txn.put(store, id, entry)
        }
    }

    public func get(_ id: String, now: Double = Date().timeIntervalSince1970) throws -> PreparedCall? {
        guard let entry = try database.get(store, id), entry.isFresh(at: now) else { return nil }
        return entry.value
    }

    /// Removes the entry once the answer has stored the call's session.
    public func remove(_ id: String) throws {
        try database.delete(store, id)
    }

    /// Drops the entries of calls that were never answered.
    @discardableResult
    public func prune(now: Double) throws -> Int {
        try database.removeExpired(store, now: now)
    }
}
