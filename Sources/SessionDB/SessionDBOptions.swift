/// How an environment is opened. Every process of a stack must use the same values.
public struct SessionDBOptions: Sendable, Equatable {
    /// When a commit reaches the disk.
    public enum Durability: String, Sendable, CaseIterable {
        /// fsync data and meta page on every commit: survives power loss.
        case full
        /// fsync data on every commit, the meta page lazily: a system crash may undo
        /// the last commit, never corrupt the store.
        case meta
        /// No fsync at commit; the OS writes pages back (and `flush()` forces it).
        /// Survives any process crash, since the page cache outlives the process,
        /// but a system crash can lose recent commits or, since pages reach the
        /// disk in any order, leave the file inconsistent.
        case none
    }

    public var directory: String
    public var mapSizeBytes: Int
    public var maxReaders: UInt32
    public var durability: Durability
    /// Whether a write transaction modifies the file's pages in place in a writable
    /// memory map (LMDB's MDB_WRITEMAP) instead of copying each dirty page into
    /// the file with a write at commit: a commit then costs a fraction of the CPU.
    /// The price: the data file is as large as the map (sparse), and a write that
    /// finds the disk full stops the process with SIGBUS instead of failing its
    /// transaction (what was committed stays intact either way).
    public var writeMap: Bool

    public init(directory: String, mapSizeBytes: Int = 1 << 30, maxReaders: UInt32 = 1024, durability: Durability = .none,
                writeMap: Bool = true) {
        self.directory = directory
        self.mapSizeBytes = mapSizeBytes
        self.maxReaders = maxReaders
        self.durability = durability
        self.writeMap = writeMap
    }
}
