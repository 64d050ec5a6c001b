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
        /// but a system crash can lose recent commits.
        case none
    }

    public var directory: String
    public var mapSizeBytes: Int
    public var maxReaders: UInt32
    public var durability: Durability

    public init(directory: String, mapSizeBytes: Int = 1 << 30, maxReaders: UInt32 = 1024, durability: Durability = .none) {
        self.directory = directory
        self.mapSizeBytes = mapSizeBytes
        self.maxReaders = maxReaders
        self.durability = durability
    }
}
