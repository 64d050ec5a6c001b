import Foundation

/// One process's decoded copies of a store's entries, for values that are read
/// far more often than written (the shared agent cache): a read compares the
/// stored bytes with those it decoded last time for the key and decodes again
/// only when they differ, so another process's write is seen at once.
public final class DecodedEntries<Value: Codable & Sendable>: @unchecked Sendable {
    // @unchecked: `entries` is only touched under `lock`.
    private let lock = NSLock()
    private var entries: [String: (bytes: [UInt8], value: Value)] = [:]
    private let limit: Int

    /// `limit`: more keys than that and the copies start again from none.
    public init(limit: Int = 512) {
        self.limit = limit
    }

    func value(for key: String, stored: UnsafeRawBufferPointer, decode: (Data) throws -> Value) throws -> Value {
        let known = lock.withLock { entries[key] }
        if let known, known.bytes.count == stored.count, stored.count > 0,
           known.bytes.withUnsafeBytes({ memcmp($0.baseAddress!, stored.baseAddress!, stored.count) == 0 }) {
            return known.value
        }
        let bytes = [UInt8](stored)
        let value = try decode(Data(bytes))
        lock.withLock {
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            entries[key] = (bytes, value)
        }
        return value
    }
}

extension Transaction {
    /// The value under `key`, decoded only if its bytes changed since `decoded`
    /// last saw them.
    public func get<Value>(_ store: Store<Value>, _ key: String, through decoded: DecodedEntries<Value>) throws -> Value? {
        try lookup(store.dbi, key, store.name) { stored in
            try decoded.value(for: key, stored: UnsafeRawBufferPointer(start: stored.mv_data, count: stored.mv_size)) {
                do {
                    return try StoredEncoding.decode(Value.self, from: $0)
                } catch {
                    throw SessionDBError.decoding(database: store.name, key: key, reason: "\(error)")
                }
            }
        }
    }
}

extension SessionDB {
    /// `Transaction.get(_:_:through:)` in a read transaction of its own.
    public func get<Value>(_ store: Store<Value>, _ key: String, through decoded: DecodedEntries<Value>) throws -> Value? {
        try read { try $0.get(store, key, through: decoded) }
    }
}
