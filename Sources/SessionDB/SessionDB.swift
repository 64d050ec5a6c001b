import CLMDB
import Foundation

/// One LMDB environment on local disk, shared by every process and thread of a stack.
///
/// Values live in named databases (`Store`s). All access goes through `read` and
/// `write`, which scope a transaction to a closure: it commits when the closure
/// returns and aborts when it throws, so no code path can leak an open one.
/// Writers are serialised across processes by LMDB's robust mutex; readers never block.
public final class SessionDB: @unchecked Sendable {
    // @unchecked: the environment handle is immutable after init and LMDB's
    // environment is thread-safe; transactions never outlive the closure that owns them.
    private let env: OpaquePointer
    private let databases: [String: MDB_dbi]
    public let options: SessionDBOptions

    /// Opens (creating if needed) the environment in `options.directory` with the
    /// given named databases. Clears the reader slots of processes that died.
    public init(options: SessionDBOptions, databases names: [String]) throws {
        do {
            try FileManager.default.createDirectory(atPath: options.directory, withIntermediateDirectories: true)
        } catch {
            throw SessionDBError.open(path: options.directory, reason: "\(error)")
        }
        var handle: OpaquePointer?
        try SessionDBError.check(mdb_env_create(&handle), "env_create")
        guard let env = handle else { throw SessionDBError.open(path: options.directory, reason: "no environment") }
        do {
            try SessionDBError.check(mdb_env_set_maxdbs(env, MDB_dbi(max(names.count, 1))), "set_maxdbs")
            try SessionDBError.check(mdb_env_set_mapsize(env, options.mapSizeBytes), "set_mapsize")
            try SessionDBError.check(mdb_env_set_maxreaders(env, options.maxReaders), "set_maxreaders")
            // MDB_NOTLS ties a read slot to the transaction, not the thread, which is
            // what a multi-threaded FastCGI process needs.
            var flags = UInt32(MDB_NOTLS)
            switch options.durability {
            case .full: break
            case .meta: flags |= UInt32(MDB_NOMETASYNC)
            case .none: flags |= UInt32(MDB_NOSYNC)
            }
            if options.writeMap { flags |= UInt32(MDB_WRITEMAP) }
            let rc = mdb_env_open(env, options.directory, flags, 0o660)
            if rc != MDB_SUCCESS {
                throw SessionDBError.open(path: options.directory, reason: SessionDBError.message(for: rc))
            }
            var dead: Int32 = 0
            _ = mdb_reader_check(env, &dead)
            self.databases = try Self.openDatabases(env: env, names: names)
        } catch {
            mdb_env_close(env)
            throw error
        }
        self.env = env
        self.options = options
    }

    deinit {
        mdb_env_close(env)
    }

    private static func openDatabases(env: OpaquePointer, names: [String]) throws -> [String: MDB_dbi] {
        var txn: OpaquePointer?
        try SessionDBError.check(mdb_txn_begin(env, nil, 0, &txn), "txn_begin")
        var handles: [String: MDB_dbi] = [:]
        for name in names {
            var dbi: MDB_dbi = 0
            let rc = mdb_dbi_open(txn, name, UInt32(MDB_CREATE), &dbi)
            if rc != MDB_SUCCESS {
                mdb_txn_abort(txn)
                try SessionDBError.check(rc, "dbi_open \(name)")
            }
            handles[name] = dbi
        }
        try SessionDBError.check(mdb_txn_commit(txn), "txn_commit")
        return handles
    }

    /// The typed view of a database named at open time.
    public func store<Value: Codable & Sendable>(_ name: String, of type: Value.Type = Value.self) throws -> Store<Value> {
        Store(name: name, dbi: try database(name))
    }

    func database(_ name: String) throws -> MDB_dbi {
        guard let dbi = databases[name] else {
            throw SessionDBError.lmdb(operation: "store \(name)", code: MDB_NOTFOUND, message: "database was not opened")
        }
        return dbi
    }

    /// Runs `body` in a read-only snapshot. Readers never wait for writers.
    public func read<T>(_ body: (Transaction) throws -> T) throws -> T {
        try run(flags: UInt32(MDB_RDONLY), body)
    }

    /// Runs `body` in the one write transaction of the environment (waiting for any
    /// other writer, in any process); commits when it returns, aborts when it throws.
    public func write<T>(_ body: (Transaction) throws -> T) throws -> T {
        try run(flags: 0, body)
    }

    private func run<T>(flags: UInt32, _ body: (Transaction) throws -> T) throws -> T {
        let txn = try begin(flags: flags)
        let transaction = Transaction(handle: txn, writable: flags == 0, mapSize: options.mapSizeBytes)
        let result: T
        do {
            result = try body(transaction)
        } catch {
            transaction.finish()
            mdb_txn_abort(txn)
            throw error
        }
        transaction.finish()
        if flags == 0 {
            try SessionDBError.check(mdb_txn_commit(txn), "txn_commit", mapSize: options.mapSizeBytes)
        } else {
            mdb_txn_abort(txn)
        }
        return result
    }

    private func begin(flags: UInt32) throws -> OpaquePointer {
        var attempt = 0
        while true {
            var txn: OpaquePointer?
            let rc = mdb_txn_begin(env, nil, flags, &txn)
            if rc == MDB_SUCCESS, let txn { return txn }
            attempt += 1
            switch rc {
            case MDB_READERS_FULL where attempt == 1:
                // Slots of killed processes are only reclaimed on request.
                var dead: Int32 = 0
                _ = mdb_reader_check(env, &dead)
            case MDB_MAP_RESIZED where attempt == 1:
                // Another process grew the map; adopt its size.
                _ = mdb_env_set_mapsize(env, 0)
            default:
                try SessionDBError.check(rc, "txn_begin")
            }
        }
    }

    /// Forces written pages to disk (used with `Durability.none`).
    public func flush() throws {
        try SessionDBError.check(mdb_env_sync(env, 1), "env_sync")
    }

    /// Frees the reader slots of processes that died holding one; returns how many.
    @discardableResult
    public func clearStaleReaders() -> Int {
        var dead: Int32 = 0
        _ = mdb_reader_check(env, &dead)
        return Int(dead)
    }

    /// Size, use and entry counts, read in one snapshot.
    public func statistics() throws -> SessionDBStatistics {
        let space = try space()
        let entries = try read { txn in
            try databases.mapValues { dbi in try txn.entryCount(dbi: dbi) }
        }
        return SessionDBStatistics(directory: options.directory, space: space, entries: entries)
    }

    /// The map's size and use, and the disk space left for it, without a transaction.
    public func space() throws -> SessionDBSpace {
        var info = MDB_envinfo()
        try SessionDBError.check(mdb_env_info(env, &info), "env_info")
        var envStat = MDB_stat()
        try SessionDBError.check(mdb_env_stat(env, &envStat), "env_stat")
        var fileSystem = statvfs()
        let diskFree = statvfs(options.directory, &fileSystem) == 0
            ? Int(fileSystem.f_bavail) * Int(fileSystem.f_frsize) : nil
        return SessionDBSpace(
            mapSizeBytes: info.me_mapsize,
            usedBytes: (Int(info.me_last_pgno) + 1) * Int(envStat.ms_psize),
            diskFreeBytes: diskFree,
            readers: Int(info.me_numreaders),
            maxReaders: Int(info.me_maxreaders),
            lastTransactionID: Int(info.me_last_txnid)
        )
    }
}
