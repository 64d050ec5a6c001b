import CLMDB

/// A named database whose values the caller encodes itself (see `CompactWriter`),
/// for values on a hot path where JSON costs more than the work around it.
public struct RawStore: Sendable {
    public let name: String
    let dbi: MDB_dbi
}

extension SessionDB {
    public func rawStore(_ name: String) throws -> RawStore {
        RawStore(name: name, dbi: try database(name))
    }
}

extension Transaction {
    /// A copy of the bytes under `key`, or nil when absent.
    public func bytes(_ store: RawStore, _ key: String) throws -> [UInt8]? {
        try lookup(store.dbi, key, store.name) { v in [UInt8](UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size)) }
    }

    public func put(_ store: RawStore, _ key: String, bytes: [UInt8]) throws {
        try putBytes(store.dbi, key, bytes, store.name)
    }

    public func contains(_ store: RawStore, _ key: String) throws -> Bool {
        try containsKey(store.dbi, key, store.name)
    }

    /// Whether `key` holds exactly `expected` (nil: holds nothing), compared byte for byte.
    public func holds(_ store: RawStore, _ key: String, _ expected: [UInt8]?) throws -> Bool {
        try holdsBytes(store.dbi, key, store.name, expected)
    }

    @discardableResult
    public func delete(_ store: RawStore, _ key: String) throws -> Bool {
        try deleteKey(store.dbi, key, store.name)
    }

    /// Every key with its bytes, in key order.
    public func all(_ store: RawStore) throws -> [(key: String, bytes: [UInt8])] {
        try prefixes(store, length: .max).map { ($0.key, $0.prefix) }
    }

    /// Every key, in key order; no value is copied.
    public func keys(_ store: RawStore) throws -> [String] {
        try prefixes(store, length: 0).map(\.key)
    }

    /// Every key with the first `length` bytes of its value (all of a shorter
    /// one), in key order; the rest of each value is not copied.
    public func prefixes(_ store: RawStore, length: Int) throws -> [(key: String, prefix: [UInt8])] {
        var entries: [(key: String, prefix: [UInt8])] = []
        try scanInPlace(store.dbi, store.name, prefix: "", from: nil) { key, bytes in
            entries.append((key, [UInt8](bytes.prefix(length))))
            return true
        }
        return entries
    }

    public func count(_ store: RawStore) throws -> Int {
        try entryCount(dbi: store.dbi)
    }
}
