import Metrics
import SessionDB

/// What one process last published of its metrics, under its own key.
public struct PublishedMetrics: Codable, Sendable, Equatable {
    /// The endpoint's name (`process-speech`, `worker`), or `#retired`.
    public var process: String
    public var pid: Int32
    /// Seconds since 1970.
    public var startedAt: Double
    public var updatedAt: Double
    /// Everything the process counted since it started.
    public var snapshot: MetricsSnapshot

    public init(process: String, pid: Int32, startedAt: Double, updatedAt: Double, snapshot: MetricsSnapshot) {
        self.process = process
        self.pid = pid
        self.startedAt = startedAt
        self.updatedAt = updatedAt
        self.snapshot = snapshot
    }

    /// The process's key: a restarted process (a new pid or start time) writes
    /// a new one, so what the old one counted stays in the sum.
    public var key: String { Self.key(process: process, pid: pid, startedAt: startedAt) }

    static func key(process: String, pid: Int32, startedAt: Double) -> String {
        "\(process)/\(pid)/\(Int64((startedAt * 1000).rounded()))"
    }
}

/// The `metrics` database of SessionDB: one entry per process that counted
/// something, and the retired total of processes long gone. The sum of all
/// entries only grows: an entry is folded into the retired total in the same
/// transaction that removes it.
public struct MetricsStore: Sendable {
    private let store: Store<PublishedMetrics>
    static let retiredKey = "#retired"

    public init(database: SessionDB) throws {
        store = try database.store(SessionDBLayout.metrics, of: PublishedMetrics.self)
    }

    /// Writes `entry` (encoded before the transaction) under its key, inside
    /// the caller's write transaction.
    public func publish(_ entry: EncodedValue<PublishedMetrics>, key: String, in txn: Transaction) throws {
        try txn.put(store, key, encoded: entry)
    }

    /// Whether some process entry was not updated since `cutoff` (a read, so
    /// that the write transaction is only taken when there is work).
    public func hasEntries(updatedBefore cutoff: Double, in txn: Transaction) throws -> Bool {
        try txn.all(store).contains { $0.key != Self.retiredKey && $0.value.updatedAt < cutoff }
    }

    /// Folds every process entry not updated since `cutoff` into the retired
    /// total and removes it; returns how many were folded.
    @discardableResult
    public func retire(updatedBefore cutoff: Double, now: Double, in txn: Transaction) throws -> Int {
        let stale = try txn.all(store).filter { $0.key != Self.retiredKey && $0.value.updatedAt < cutoff }
        guard !stale.isEmpty else { return 0 }
        var retired = try txn.get(store, Self.retiredKey)
            ?? PublishedMetrics(process: Self.retiredKey, pid: 0, startedAt: now, updatedAt: now, snapshot: .init())
        for entry in stale {
            retired.snapshot.merge(entry.value.snapshot)
            try txn.delete(store, entry.key)
        }
        retired.updatedAt = now
        try txn.put(store, Self.retiredKey, retired)
        return stale.count
    }

    /// The sum over every entry (retired total included), and the entries of
    /// processes (the retired total excluded).
    public func total(in txn: Transaction) throws -> (sum: MetricsSnapshot, processes: [PublishedMetrics]) {
        var sum = MetricsSnapshot()
        var processes: [PublishedMetrics] = []
        for (key, entry) in try txn.all(store) {
            sum.merge(entry.snapshot)
            if key != Self.retiredKey { processes.append(entry) }
        }
        return (sum, processes)
    }
}
