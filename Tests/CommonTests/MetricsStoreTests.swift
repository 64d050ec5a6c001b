@testable import Common
import Foundation
import Logging
import Metrics
import SessionDB
import XCTest

/// Per-process snapshots in SessionDB: their sum is what /metrics shows, and it
/// never goes down, whether processes restart or their entries are retired.
final class MetricsStoreTests: XCTestCase {
    private var directory = ""
    private var db: SessionDB!
    private let requests = MetricFamily("voice_http_requests_total", .counter, help: "R.")

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "metrics-\(UUID().uuidString)"
        db = try SessionDB(options: SessionDBOptions(directory: directory, mapSizeBytes: 64 << 20),
                           databases: SessionDBLayout.databases)
    }

    override func tearDownWithError() throws {
        db = nil
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func publisher(_ name: String, _ registry: MetricsRegistry, startedAt: Double) throws -> MetricsPublisher {
        var settings = MetricsPublisher.Settings()
        settings.heartbeat = 10
        settings.retention = 100
        settings.retireCheckInterval = 0
        return try MetricsPublisher(process: name, database: db, registry: registry, settings: settings,
                                    logger: Logger(label: "test"), startedAt: startedAt)
    }

    private func total() throws -> (sum: Double, processes: [PublishedMetrics]) {
        let store = try MetricsStore(database: db)
        let (sum, processes) = try db.read { try store.total(in: $0) }
        return (sum.counters.values.reduce(0, +), processes)
    }

    private func count(_ registry: MetricsRegistry, _ times: Int) {
        for _ in 0..<times { registry.increment(requests, [Label("endpoint", "x")]) }
    }

    func testTheSumCoversEveryProcessAndARestartAddsAKey() throws {
        let first = MetricsRegistry()
        let other = MetricsRegistry()
        count(first, 2)
        count(other, 3)
        try publisher("x", first, startedAt: 100).publish(now: 1000)
        try publisher("y", other, startedAt: 100).publish(now: 1000)
        XCTAssertEqual(try total().sum, 5)

        // The same endpoint restarted: a new registry, a new start time, a new key.
        let restarted = MetricsRegistry()
        count(restarted, 1)
        try publisher("x", restarted, startedAt: 200).publish(now: 1001)
        let (sum, processes) = try total()
        XCTAssertEqual(sum, 6)
        XCTAssertEqual(processes.map(\.process).sorted(), ["x", "x", "y"])
    }

    func testAnIdleProcessWritesOnlyItsHeartbeat() throws {
        let registry = MetricsRegistry()
        count(registry, 1)
        let publisher = try publisher("x", registry, startedAt: 100)
        publisher.publish(now: 1000)
        publisher.publish(now: 1005)
        XCTAssertEqual(try total().processes.map(\.updatedAt), [1000], "nothing changed: no write")
        count(registry, 1)
        publisher.publish(now: 1006)
        XCTAssertEqual(try total().processes.map(\.updatedAt), [1006])
        publisher.publish(now: 1016)
        XCTAssertEqual(try total().processes.map(\.updatedAt), [1016], "heartbeat")
    }

    func testSilentProcessesAreRetiredIntoATotalThatKeepsTheirCounts() throws {
        let gone = MetricsRegistry()
        count(gone, 4)
        try publisher("x", gone, startedAt: 100).publish(now: 1000)
        let alive = MetricsRegistry()
        count(alive, 1)
        let current = try publisher("x", alive, startedAt: 1500)
        current.publish(now: 1050)
        XCTAssertEqual(try total().processes.count, 2, "within the retention both stay")

        count(alive, 1)
        current.publish(now: 1101)  // the first is now 101 s silent, past the 100 s retention
        let (sum, processes) = try total()
        XCTAssertEqual(sum, 6, "retiring moves counts, never drops them")
        XCTAssertEqual(processes.map(\.startedAt), [1500])
        let retired = try db.read { txn in try txn.get(db.store(SessionDBLayout.metrics, of: PublishedMetrics.self),
                                                       MetricsStore.retiredKey) }
        XCTAssertEqual(retired?.snapshot.counters.values.reduce(0, +), 4)
    }

    func testTheExpositionReadsGaugesFromSessionDB() throws {
        let sessions = try db.store(SessionDBLayout.sessions, of: String.self)
        let outbox = try Outbox(database: db, name: SessionDBLayout.outbox)
        try db.write { txn in
            try txn.put(sessions, "CA1", "a session")
            try txn.put(sessions, "CA2", "another")
            try outbox.enqueue(OutboxJob(kind: "sync", subject: "CA1", notBefore: 990, now: 990), in: txn)
            try outbox.enqueue(OutboxJob(kind: "sync", subject: "CA2", notBefore: 995, now: 995), in: txn)
            try outbox.enqueue(OutboxJob(kind: "finalize", subject: "CA1", notBefore: 999, now: 999), in: txn)
        }
        let registry = MetricsRegistry()
        count(registry, 2)
        try publisher("x", registry, startedAt: 900).publish(now: 1000)

        let text = try MetricsExposition(database: db, jobKinds: ["sync", "finalize", "recording"]).render(now: 1000)
        for line in [
            "voice_live_calls 2", "voice_agent_cache_entries 0",
            #"voice_outbox_jobs{kind="sync"} 2"#, #"voice_outbox_jobs{kind="finalize"} 1"#,
            #"voice_outbox_jobs{kind="recording"} 0"#,
            #"voice_outbox_oldest_job_age_seconds{kind="sync"} 10"#,
            #"voice_outbox_oldest_job_age_seconds{kind="recording"} 0"#,
            #"voice_http_requests_total{endpoint="x"} 2"#,
            #"voice_process_start_time_seconds{process="x",pid="\#(getpid())"} 900"#,
        ] {
            XCTAssertTrue(text.split(separator: "\n").contains(Substring(line)), "\(line) not in\n\(text)")
        }
    }
}
