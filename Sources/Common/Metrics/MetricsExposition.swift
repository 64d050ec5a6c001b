import Metrics
import SessionDB

/// What `GET /metrics` answers: the sum of every process's published counters
/// and histograms, and gauges read from SessionDB, all in one read snapshot
/// (no write, no AWS).
public struct MetricsExposition: Sendable {
    private let database: SessionDB
    private let store: MetricsStore
    private let outbox: Outbox
    private let sessions: Store<Ignored>
    private let agentCache: Store<Ignored>
    /// A process whose entry is older than this is not listed among the live ones.
    private let liveWithin: Double
    /// Kinds reported (as 0) even when the outbox holds none of them.
    private let jobKinds: [String]

    /// Counted, never decoded.
    struct Ignored: Codable, Sendable {}

    public init(database: SessionDB, jobKinds: [String] = [], liveWithin: Double = 180) throws {
        self.database = database
        store = try MetricsStore(database: database)
        outbox = try Outbox(database: database, name: SessionDBLayout.outbox)
        sessions = try database.store(SessionDBLayout.sessions)
        agentCache = try database.store(SessionDBLayout.agentCache)
        self.liveWithin = liveWithin
        self.jobKinds = jobKinds
    }

    /// The exposition as of `now` (seconds since 1970).
    public func render(now: Double) throws -> String {
        let (sum, snapshotGauges) = try database.read { txn in
            let (sum, processes) = try store.total(in: txn)
            var gauges: [Series: Double] = [
                Series(MetricFamily.liveCalls.name): Double(try txn.count(sessions)),
                Series(MetricFamily.agentCacheEntries.name): Double(try txn.count(agentCache)),
            ]
            let depths = Self.outboxGauges(try outbox.all(in: txn), now: now, kinds: jobKinds)
            for (kind, depth) in depths {
                gauges[Series(MetricFamily.outboxJobs.name, [Label("kind", kind)])] = depth.jobs
                gauges[Series(MetricFamily.outboxOldestJobAge.name, [Label("kind", kind)])] = depth.oldestAge
            }
            for process in processes where now - process.updatedAt <= liveWithin {
                let labels = [Label("process", process.process), Label("pid", String(process.pid))]
                gauges[Series(MetricFamily.processStartTime.name, labels)] = process.startedAt
            }
            return (sum, gauges)
        }
        var gauges = snapshotGauges
        let space = try database.space()
        gauges[Series(MetricFamily.sessionDBMapSize.name)] = Double(space.mapSizeBytes)
        gauges[Series(MetricFamily.sessionDBUsed.name)] = Double(space.usedBytes)
        if let free = space.diskFreeBytes { gauges[Series(MetricFamily.sessionDBDiskFree.name)] = Double(free) }
        return PrometheusText.render(sum, gauges: gauges)
    }

    /// Jobs per kind and the age of the oldest of each kind.
    static func outboxGauges(_ jobs: [OutboxJob], now: Double, kinds: [String]) -> [String: (jobs: Double, oldestAge: Double)] {
        var result: [String: (jobs: Double, oldestAge: Double)] = [:]
        for kind in kinds { result[kind] = (0, 0) }
        for job in jobs {
            let age = max(0, now - job.createdAt)
            let current = result[job.kind] ?? (0, 0)
            result[job.kind] = (current.jobs + 1, max(current.oldestAge, age))
        }
        return result
    }
}
