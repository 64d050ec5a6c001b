import Foundation
import Metrics
import XCTest

final class MetricsSnapshotTests: XCTestCase {
    private let requests = MetricFamily("r_total", .counter, help: "R.")
    private let latency = MetricFamily("l_seconds", .histogram, help: "L.", buckets: [0.1, 1])

    func testMergeSumsCountersAndHistogramsOfSeveralProcesses() {
        let a = MetricsRegistry()
        let b = MetricsRegistry()
        a.increment(requests, [Label("status", "200")])
        a.increment(requests, [Label("status", "200")])
        b.increment(requests, [Label("status", "200")])
        b.increment(requests, [Label("status", "404")], by: 3)
        a.observe(latency, [], 0.05)
        b.observe(latency, [], 0.5)
        b.observe(latency, [], 5)

        var sum = a.snapshot().snapshot
        sum.merge(b.snapshot().snapshot)
        XCTAssertEqual(sum.counters, [Series("r_total", [Label("status", "200")]): 3,
                                      Series("r_total", [Label("status", "404")]): 3])
        let histogram = sum.histograms[Series("l_seconds")]
        XCTAssertEqual(histogram?.counts, [1, 1, 1])
        XCTAssertEqual(histogram?.cumulativeCounts, [1, 2, 3])
        XCTAssertEqual(histogram?.count, 3)
        XCTAssertEqual(histogram?.sum ?? 0, 5.55, accuracy: 1e-9)
    }

    func testHistogramsWithOtherBoundsMergeWithoutLosingOrLoweringAnything() {
        var ours = HistogramValue(bounds: [0.1, 1, 10])
        var older = HistogramValue(bounds: [0.05, 0.5, 20])
        for value in [0.01, 0.3, 15, 100] { older.observe(value) }
        ours.observe(0.2)
        ours.merge(older)
        // 0.01 (≤0.05) → ≤0.1; 0.3 (≤0.5) → ≤1; 15 (≤20) and 100 (+Inf) → +Inf.
        XCTAssertEqual(ours.counts, [1, 2, 0, 2])
        XCTAssertEqual(ours.count, 5)
        XCTAssertEqual(ours.sum, 115.51, accuracy: 1e-9)
    }

    func testSnapshotSurvivesItsStoredForm() throws {
        let registry = MetricsRegistry()
        registry.increment(requests, [Label("endpoint", "a\"b"), Label("status", "200")], by: 2)
        registry.observe(latency, [Label("endpoint", "x")], 0.3)
        let snapshot = registry.snapshot().snapshot
        let decoded = try JSONDecoder().decode(MetricsSnapshot.self, from: JSONEncoder().encode(snapshot))
        XCTAssertEqual(decoded, snapshot)
    }

    func testChangeCountMovesWithEveryRecording() {
        let registry = MetricsRegistry()
        XCTAssertEqual(registry.changeCount, 0)
        registry.increment(requests)
        registry.observe(latency, [], 1)
        XCTAssertEqual(registry.snapshot().changeCount, 2)
    }

    func testConcurrentRecordingLosesNothing() {
        let registry = MetricsRegistry()
        let requests = requests, latency = latency
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for _ in 0..<1000 {
                registry.increment(requests, [Label("worker", String(worker % 2))])
                registry.observe(latency, [], 0.01)
            }
        }
        let snapshot = registry.snapshot().snapshot
        XCTAssertEqual(snapshot.counters.values.reduce(0, +), 8000)
        XCTAssertEqual(snapshot.histograms[Series("l_seconds")]?.count, 8000)
    }
}
