import CLMDB

/// A named database holding values of one type, encoded as JSON, or compactly
/// when the type is `CompactCodable` (see `StoredEncoding`).
/// Obtained from `SessionDB.store(_:)`; used inside `read` and `write`.
public struct Store<Value: Codable & Sendable>: Sendable {
    public let name: String
    let dbi: MDB_dbi
}

extension SessionDB {
    /// Reads one value in its own snapshot.
    public func get<Value>(_ store: Store<Value>, _ key: String) throws -> Value? {
        try read { try $0.get(store, key) }
    }

    /// Whether `key` holds a value, in its own snapshot; nothing is decoded.
    public func contains<Value>(_ store: Store<Value>, _ key: String) throws -> Bool {
        try read { try $0.contains(store, key) }
    }

    /// Writes one value in its own transaction.
    public func put<Value>(_ store: Store<Value>, _ key: String, _ value: Value) throws {
        try write { try $0.put(store, key, value) }
    }

    /// Deletes one key in its own transaction; returns whether it existed.
    @discardableResult
    public func delete<Value>(_ store: Store<Value>, _ key: String) throws -> Bool {
        try write { try $0.delete(store, key) }
    }

    /// Atomic read-modify-write of one key: `body` sees the current value (nil when
    /// absent) and may change it; setting it to nil deletes the key. Nothing else,
    /// in any process, writes between the read and the write.
    public func update<Value, Result>(
        _ store: Store<Value>, _ key: String, _ body: (inout Value?) throws -> Result
    ) throws -> Result {
        try write { txn in
            var value = try txn.get(store, key)
            let result = try body(&value)
            if let value {
                try txn.put(store, key, value)
            } else {
                try txn.delete(store, key)
            }
            return result
        }
    }
}
