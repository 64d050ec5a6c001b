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
    ///
    /// A store can hold a day of entries (a mark per call), and LMDB has one
    /// writer for the whole host: the store is read in a read transaction, and
    /// the expired keys are deleted `batch` at a time, each write checking
    /// again that its entries are still expired (one may have been written anew
    /// since the read). No webhook waits for more than one batch.
    @discardableResult
    public func removeExpired<Value>(_ store: Store<ExpiringValue<Value>>, now: Double, batch: Int = 256) throws -> Int {
        let expired = try read { txn in try txn.all(store).filter { !$0.value.isFresh(at: now) }.map(\.key) }
        let size = max(1, batch)
        var removed = 0
        for start in stride(from: 0, to: expired.count, by: size) {
            removed += try write { txn in
                var count = 0
                for key in expired[start..<min(start + size, expired.count)] {
                    guard let entry = try txn.get(store, key), !entry.isFresh(at: now) else { continue }
                    try txn.delete(store, key)
                    count += 1
                }
                return count
            }
        }
        return removed
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
