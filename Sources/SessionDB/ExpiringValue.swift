/// A cached value with the time it stops being fresh (seconds since 1970).
/// Stale entries are kept: a caller that cannot reach the source may still prefer
/// a stale value to none.
public struct ExpiringValue<Value: Codable & Sendable>: Codable, Sendable {
    public var value: Value
    public var storedAt: Double
    public var expiresAt: Double

    public init(value: Value, storedAt: Double, ttl: Double) {
        self.value = value
        self.storedAt = storedAt
        self.expiresAt = storedAt + ttl
    }

    public func isFresh(at now: Double) -> Bool { now < expiresAt }

    enum CodingKeys: String, CodingKey {
        case value
        case storedAt = "stored_at"
        case expiresAt = "expires_at"
    }
}

extension SessionDB {
    /// Deletes the entries of `store` that are no longer fresh at `now`, for
    /// stores whose stale entries are of no use; returns how many went.
    @discardableResult
    public func removeExpired<Value>(_ store: Store<ExpiringValue<Value>>, now: Double) throws -> Int {
        try write { txn in
            let expired = try txn.all(store).filter { !$0.value.isFresh(at: now) }.map(\.key)
            for key in expired { try txn.delete(store, key) }
            return expired.count
        }
    }
}

/// The compact form of an expiring value whose value has one.
extension ExpiringValue: CompactCodable where Value: CompactCodable {
    public init(compact input: inout CompactReader) throws {
        value = try Value(compact: &input)
        storedAt = try input.readDouble()
        expiresAt = try input.readDouble()
    }

    public func encode(compact out: inout CompactWriter) {
        value.encode(compact: &out)
        out.write(storedAt)
        out.write(expiresAt)
    }
}
