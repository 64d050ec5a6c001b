/// What `SessionDB.space()` reports.
public struct SessionDBSpace: Sendable, Codable, Equatable {
    public let mapSizeBytes: Int
    public let usedBytes: Int
    /// Free space on the directory's file system for an unprivileged writer; nil
    /// when it cannot be read. With `writeMap`, a write that finds none stops its
    /// process, so this is worth an alert well before it reaches 0.
    public let diskFreeBytes: Int?
    public let readers: Int
    public let maxReaders: Int
    public let lastTransactionID: Int

    enum CodingKeys: String, CodingKey {
        case readers
        case mapSizeBytes = "map_size_bytes"
        case usedBytes = "used_bytes"
        case diskFreeBytes = "disk_free_bytes"
        case maxReaders = "max_readers"
        case lastTransactionID = "last_transaction_id"
    }
}

/// What `SessionDB.statistics()` reports; `/health` shows it, the space's
/// fields beside the directory and the entry counts.
public struct SessionDBStatistics: Sendable, Codable, Equatable {
    public let directory: String
    public let space: SessionDBSpace
    public let entries: [String: Int]

    enum CodingKeys: String, CodingKey {
        case directory, entries
    }

    public init(directory: String, space: SessionDBSpace, entries: [String: Int]) {
        self.directory = directory
        self.space = space
        self.entries = entries
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        directory = try container.decode(String.self, forKey: .directory)
        entries = try container.decode([String: Int].self, forKey: .entries)
        space = try SessionDBSpace(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try space.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(directory, forKey: .directory)
        try container.encode(entries, forKey: .entries)
    }
}
