import CLMDB

/// Everything that can go wrong in SessionDB, with LMDB's return codes turned into
/// cases a caller can act on. This is the only place that interprets an LMDB code.
public enum SessionDBError: Error, Equatable, CustomStringConvertible {
    /// The memory map is full: raise `SESSIONDB_MAP_SIZE_MB` (nothing was written).
    case mapFull(mapSizeBytes: Int)
    /// Every reader slot is taken, even after clearing the slots of dead processes.
    case readersFull
    /// The key is empty or longer than LMDB allows (511 bytes by default).
    case invalidKey(String)
    /// A stored value could not be decoded as the type asked for.
    case decoding(database: String, key: String, reason: String)
    /// A value could not be encoded.
    case encoding(database: String, key: String, reason: String)
    /// The environment could not be opened (a missing directory, permissions, a version mismatch).
    case open(path: String, reason: String)
    /// Any other LMDB failure, with the operation that failed and LMDB's own message.
    case lmdb(operation: String, code: Int32, message: String)

    public var description: String {
        switch self {
        case .mapFull(let size):
            return "SessionDB is full (map size \(size / (1024 * 1024)) MiB); raise SESSIONDB_MAP_SIZE_MB"
        case .readersFull:
            return "SessionDB has no free reader slot"
        case .invalidKey(let key):
            return "invalid SessionDB key (empty or over 511 bytes): \(key.prefix(64))"
        case .decoding(let db, let key, let reason):
            return "cannot decode \(db)/\(key): \(reason)"
        case .encoding(let db, let key, let reason):
            return "cannot encode \(db)/\(key): \(reason)"
        case .open(let path, let reason):
            return "cannot open SessionDB at \(path): \(reason)"
        case .lmdb(let operation, let code, let message):
            return "SessionDB \(operation) failed (\(code)): \(message)"
        }
    }

    static func message(for code: Int32) -> String {
        String(cString: mdb_strerror(code))
    }

    /// Throws when `code` is not MDB_SUCCESS; `mapSize` lets a full map say how full.
    static func check(_ code: Int32, _ operation: @autoclosure () -> String, mapSize: Int = 0) throws {
        guard code != MDB_SUCCESS else { return }
        switch code {
        case MDB_MAP_FULL: throw SessionDBError.mapFull(mapSizeBytes: mapSize)
        case MDB_READERS_FULL: throw SessionDBError.readersFull
        default: throw SessionDBError.lmdb(operation: operation(), code: code, message: message(for: code))
        }
    }
}
