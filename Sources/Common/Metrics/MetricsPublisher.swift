import Foundation
import Logging
import Metrics
import SessionDB

/// Copies a process's in-memory metrics into SessionDB from a background
/// thread: at most once per `interval` when something was recorded, at least
/// once per `heartbeat` (so a live idle process is never taken for gone), in
/// one short write transaction. Requests never wait on it: they only touch the
/// registry's lock.
public final class MetricsPublisher: @unchecked Sendable {
    // @unchecked: the mutable fields are guarded by `condition`.
    public struct Settings: Sendable {
        public var interval: Double = 1
        public var heartbeat: Double = 60
        /// Entries of processes silent this long are folded into the retired total.
        public var retention: Double = 86_400
        /// How often a publisher looks for such entries.
        public var retireCheckInterval: Double = 300
        public init() {}
    }

    private let process: String
    private let database: SessionDB
    private let store: MetricsStore
    private let registry: MetricsRegistry
    private let settings: Settings
    private let logger: Logger
    private let startedAt: Double
    private let condition = NSCondition()
    private var stopping = false
    private var publishedChanges: UInt64?
    private var lastWrite = 0.0
    private var lastRetireCheck = 0.0

    public init(process: String, database: SessionDB, registry: MetricsRegistry = .shared,
                settings: Settings = Settings(), logger: Logger, startedAt: Double = Date().timeIntervalSince1970) throws {
        self.process = process
        self.database = database
        store = try MetricsStore(database: database)
        self.registry = registry
        self.settings = settings
        self.logger = logger
        self.startedAt = startedAt
    }

    /// Publishes from a background thread until `stop()`.
    public func start() {
        let thread = Thread { [self] in
            condition.lock()
            while !stopping {
                _ = condition.wait(until: Date().addingTimeInterval(settings.interval))
                if stopping { break }
                condition.unlock()
                publish(now: Date().timeIntervalSince1970)
                condition.lock()
            }
            condition.unlock()
        }
        thread.name = "metrics"
        thread.start()
    }

    /// Stops the thread and publishes what was counted since its last write, so
    /// a process that stops leaves its whole count behind.
    public func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
        publish(now: Date().timeIntervalSince1970)
    }

    /// One round: writes the snapshot when it changed or the heartbeat is due,
    /// and now and then retires the entries of processes long silent.
    func publish(now: Double) {
        condition.lock()
        defer { condition.unlock() }
        let changed = registry.changeCount != publishedChanges || now - lastWrite >= settings.heartbeat
        let retireDue = now - lastRetireCheck >= settings.retireCheckInterval
        guard changed || retireDue else { return }
        do {
            // A live process writes at least every heartbeat (or interval, if longer):
            // never retire one before it missed ten.
            let cutoff = now - max(settings.retention, max(settings.heartbeat, settings.interval) * 10)
            // Looked for in a read first: the write lock is taken only when there is work.
            let retire = try retireDue && database.read { txn in try store.hasEntries(updatedBefore: cutoff, in: txn) }
            if retireDue { lastRetireCheck = now }
            guard changed || retire else { return }
            let (snapshot, counted) = registry.snapshot()
            // Encoded here, outside the one writer lock of the host.
            let encoded = try EncodedValue(PublishedMetrics(process: process, pid: getpid(), startedAt: startedAt,
                                                            updatedAt: now, snapshot: snapshot))
            let key = PublishedMetrics.key(process: process, pid: getpid(), startedAt: startedAt)
            try database.write { txn in
                try store.publish(encoded, key: key, in: txn)
                if retire { try store.retire(updatedBefore: cutoff, now: now, in: txn) }
            }
            publishedChanges = counted
            lastWrite = now
        } catch {
            logger.error("cannot publish metrics", metadata: ["reason": "\(error)"])
        }
    }
}

extension MetricsPublisher.Settings {
    /// The defaults, with `METRICS_PUBLISH_INTERVAL_SECONDS` and
    /// `METRICS_RETENTION_SECONDS` from the environment.
    public init(_ environment: Environment) throws {
        self.init()
        interval = Double(try environment.int("METRICS_PUBLISH_INTERVAL_SECONDS", default: 1, in: 1...3600))
        retention = Double(try environment.int("METRICS_RETENTION_SECONDS", default: 86_400, in: 600...31_536_000))
    }
}
