import CLMDB
import Foundation

/// A transaction handed to the closure of `SessionDB.read` or `SessionDB.write`.
/// It is valid only inside that closure; using it afterwards throws.
public final class Transaction {
    private let handle: OpaquePointer
    private let mapSize: Int
    private var finished = false
    /// Whether this is a write transaction.
    public let isWritable: Bool

    init(handle: OpaquePointer, writable: Bool, mapSize: Int) {
        self.handle = handle
        self.isWritable = writable
        self.mapSize = mapSize
    }

    func finish() { finished = true }

    private func live(_ operation: String, writing: Bool = false) throws -> OpaquePointer {
        if finished {
            throw SessionDBError.lmdb(operation: operation, code: EINVAL, message: "transaction used after it ended")
        }
        if writing && !isWritable {
            throw SessionDBError.lmdb(operation: operation, code: EACCES, message: "write inside a read transaction")
        }
        return handle
    }

    // MARK: Typed access

    public func get<Value>(_ store: Store<Value>, _ key: String) throws -> Value? {
        guard let bytes = try getBytes(store.dbi, key, store.name) else { return nil }
        do {
            return try StoredEncoding.decode(Value.self, from: bytes)
        } catch {
            throw SessionDBError.decoding(database: store.name, key: key, reason: "\(error)")
        }
    }

    /// Whether `key` holds a value, without decoding it.
    public func contains<Value>(_ store: Store<Value>, _ key: String) throws -> Bool {
        try containsKey(store.dbi, key, store.name)
    }

    public func put<Value>(_ store: Store<Value>, _ key: String, _ value: Value) throws {
        let bytes: Data
        do {
            bytes = try StoredEncoding.encode(value)
        } catch {
            throw SessionDBError.encoding(database: store.name, key: key, reason: "\(error)")
        }
        try putBytes(store.dbi, key, bytes, store.name)
    }

    /// The stored encoding of the value under `key`, undecoded.
    public func encoded<Value>(_ store: Store<Value>, _ key: String) throws -> EncodedValue<Value>? {
        try getBytes(store.dbi, key, store.name).map(EncodedValue.init(bytes:))
    }

    /// Whether `key` holds exactly `expected` (nil: holds nothing), compared
    /// byte for byte without decoding.
    public func holds<Value>(_ store: Store<Value>, _ key: String, _ expected: EncodedValue<Value>?) throws -> Bool {
        try holdsBytes(store.dbi, key, store.name, expected?.bytes)
    }

    /// Stores an encoding made outside the transaction.
    public func put<Value>(_ store: Store<Value>, _ key: String, encoded: EncodedValue<Value>) throws {
        try putBytes(store.dbi, key, encoded.bytes, store.name)
    }

    /// Removes `key`; returns whether it was there.
    @discardableResult
    public func delete<Value>(_ store: Store<Value>, _ key: String) throws -> Bool {
        try deleteKey(store.dbi, key, store.name)
    }

    /// Visits entries in key order whose key starts with `prefix`, beginning at
    /// `start` when given; `body` returns false to stop early.
    public func scan<Value>(
        _ store: Store<Value>, prefix: String = "", from start: String? = nil,
        _ body: (String, Value) throws -> Bool
    ) throws {
        try scanBytes(store.dbi, store.name, prefix: prefix, from: start) { key, bytes in
            let value: Value
            do {
                value = try StoredEncoding.decode(Value.self, from: bytes)
            } catch {
                throw SessionDBError.decoding(database: store.name, key: key, reason: "\(error)")
            }
            return try body(key, value)
        }
    }

    /// Every key of `store` with its value, in key order.
    public func all<Value>(_ store: Store<Value>, prefix: String = "") throws -> [(key: String, value: Value)] {
        var entries: [(key: String, value: Value)] = []
        try scan(store, prefix: prefix) { key, value in
            entries.append((key, value))
            return true
        }
        return entries
    }

    public func count<Value>(_ store: Store<Value>) throws -> Int {
        try entryCount(dbi: store.dbi)
    }

    // MARK: Bytes

    func entryCount(dbi: MDB_dbi) throws -> Int {
        let txn = try live("stat")
        var stat = MDB_stat()
        try SessionDBError.check(mdb_stat(txn, dbi, &stat), "stat")
        return Int(stat.ms_entries)
    }

    func holdsBytes(_ dbi: MDB_dbi, _ key: String, _ name: String, _ expected: (some ContiguousBytes)?) throws -> Bool {
        let current = try lookup(dbi, key, name) { v in
            expected.map { expected in
                expected.withUnsafeBytes { raw in
                    raw.count == v.mv_size && (raw.count == 0 || memcmp(raw.baseAddress!, v.mv_data, raw.count) == 0)
                }
            } ?? false
        }
        guard let current else { return expected == nil }
        return current
    }

    func containsKey(_ dbi: MDB_dbi, _ key: String, _ name: String) throws -> Bool {
        try lookup(dbi, key, name) { _ in true } ?? false
    }

    func deleteKey(_ dbi: MDB_dbi, _ key: String, _ name: String) throws -> Bool {
        let txn = try live("del \(name)", writing: true)
        return try withKey(key) { k in
            var k = k
            let rc = mdb_del(txn, dbi, &k, nil)
            if rc == MDB_NOTFOUND { return false }
            try SessionDBError.check(rc, "del \(name)")
            return true
        }
    }

    func getBytes(_ dbi: MDB_dbi, _ key: String, _ name: String) throws -> Data? {
        // The value points into the map and is valid only in this transaction: copy it.
        try lookup(dbi, key, name) { v in Data(bytes: v.mv_data, count: v.mv_size) }
    }

    /// `body` of the value under `key` (valid only inside it), or nil when absent.
    func lookup<R>(_ dbi: MDB_dbi, _ key: String, _ name: String, _ body: (MDB_val) throws -> R) throws -> R? {
        let txn = try live("get \(name)")
        return try withKey(key) { k in
            var k = k
            var v = MDB_val()
            let rc = mdb_get(txn, dbi, &k, &v)
            if rc == MDB_NOTFOUND { return nil }
            try SessionDBError.check(rc, "get \(name)")
            return try body(v)
        }
    }

    func putBytes(_ dbi: MDB_dbi, _ key: String, _ bytes: some ContiguousBytes, _ name: String) throws {
        let txn = try live("put \(name)", writing: true)
        try withKey(key) { k in
            var k = k
            try bytes.withUnsafeBytes { raw in
                var v = MDB_val(mv_size: raw.count, mv_data: UnsafeMutableRawPointer(mutating: raw.baseAddress))
                try SessionDBError.check(mdb_put(txn, dbi, &k, &v, 0), "put \(name)", mapSize: mapSize)
            }
        }
    }

    func scanBytes(
        _ dbi: MDB_dbi, _ name: String, prefix: String, from start: String?,
        _ body: (String, Data) throws -> Bool
    ) throws {
        try scanInPlace(dbi, name, prefix: prefix, from: start) { key, bytes in try body(key, Data(bytes)) }
    }

    /// Like `scanBytes`, but `body` sees each value in the map itself, valid only during the call.
    func scanInPlace(
        _ dbi: MDB_dbi, _ name: String, prefix: String, from start: String?,
        _ body: (String, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let txn = try live("scan \(name)")
        var cursor: OpaquePointer?
        try SessionDBError.check(mdb_cursor_open(txn, dbi, &cursor), "cursor_open \(name)")
        defer { mdb_cursor_close(cursor) }
        let prefixBytes = Array(prefix.utf8)
        let first = start.map { max($0, prefix) } ?? prefix
        var k = MDB_val()
        var v = MDB_val()
        var rc: Int32
        if first.isEmpty {
            rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST)
        } else {
            rc = try withKey(first) { seek in
                k = seek
                return mdb_cursor_get(cursor, &k, &v, MDB_SET_RANGE)
            }
        }
        while rc == MDB_SUCCESS {
            let keyBytes = UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size)
            if !keyBytes.starts(with: prefixBytes) { return }
            let key = String(decoding: keyBytes, as: UTF8.self)
            if try !body(key, UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size)) { return }
            rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT)
        }
        if rc != MDB_NOTFOUND { try SessionDBError.check(rc, "cursor_get \(name)") }
    }

    private func withKey<R>(_ key: String, _ body: (MDB_val) throws -> R) throws -> R {
        var utf8 = Array(key.utf8)
        guard !utf8.isEmpty, utf8.count <= 511 else { throw SessionDBError.invalidKey(key) }
        return try utf8.withUnsafeMutableBytes { raw in
            try body(MDB_val(mv_size: raw.count, mv_data: raw.baseAddress))
        }
    }
}
