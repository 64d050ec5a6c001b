import Logging
import Metrics
import SessionDB
import XCTest
@testable import VoiceService

/// A job that keeps failing, through the worker's own attempt code and the real
/// outbox, on a clock the test moves: when it comes back, and what it logs.
final class FailingJobTests: XCTestCase {
    struct Outage: Error, CustomStringConvertible {
        var description: String { "DynamoDB unreachable" }
    }

    private var store: TemporarySessions!
    private var clock: ManualClock!
    private var log: LogRecorder!
    private let start = 1_800_000_000.0

    override func setUpWithError() throws {
        store = try TemporarySessions()
        clock = ManualClock(at: start)
        log = LogRecorder()
        try store.sessions.update("CA1") { _, jobs in
            jobs.append(VoiceJob.make(VoiceJob.sync, callSid: "CA1", now: Date(timeIntervalSince1970: start)))
        }
    }

    override func tearDown() {
        store = nil
    }

    private func attempt(_ perform: @escaping @Sendable (OutboxJob) throws -> JobOutcome = { _ in throw Outage() }) -> JobAttempt {
        JobAttempt(sessions: store.sessions, perform: perform, backoff: Backoff(), clock: clock.workerClock,
                   logger: log.logger)
    }

    private func claim() throws -> ClaimedJob? {
        try store.sessions.outbox.claim(in: store.database, now: clock.now, lease: 60, worker: "test:1:0", limit: 1).first
    }

    /// Moves the clock to when the job is due, claims it and lets it fail.
    private func failWhenDue(_ attempt: JobAttempt) throws {
        clock.now = try XCTUnwrap(store.jobs.first).notBefore
        let job = try XCTUnwrap(try claim(), "due at its retry time")
        XCTAssertEqual(attempt.run(job) { 4 }, .failed)
    }

    func testEachAttemptIsCountedByKindAndOutcome() throws {
        let registry = MetricsRegistry()
        var failing = attempt()
        failing.metrics = registry
        XCTAssertEqual(failing.run(try XCTUnwrap(try claim())) { 4 }, .failed)
        clock.now = try XCTUnwrap(store.jobs.first).notBefore
        var dropping = attempt { _ in .dropped }
        dropping.metrics = registry
        XCTAssertEqual(dropping.run(try XCTUnwrap(try claim())) { 4 }, .success)
        XCTAssertTrue(try store.jobs.isEmpty, "a dropped job leaves the outbox")

        // A job its target refused for good is dead-lettered: dropped too.
        try store.sessions.update("CA2") { _, jobs in
            jobs.append(VoiceJob.make(VoiceJob.webhook, callSid: "CA2", now: Date(timeIntervalSince1970: clock.now)))
        }
        var refused = attempt { _ in throw PermanentJobFailure(reason: "410 Gone") }
        refused.metrics = registry
        XCTAssertEqual(refused.run(try XCTUnwrap(try claim())) { 4 }, .success)
        var done = attempt { _ in .done }
        done.metrics = registry
        try store.sessions.update("CA3") { _, jobs in
            jobs.append(VoiceJob.make(VoiceJob.sync, callSid: "CA3", now: Date(timeIntervalSince1970: clock.now)))
        }
        XCTAssertEqual(done.run(try XCTUnwrap(try claim())) { 4 }, .success)

        let snapshot = registry.snapshot().snapshot
        XCTAssertEqual(snapshot.counters, [
            Series("voice_worker_jobs_total", [Label("kind", "sync"), Label("outcome", "retry")]): 1,
            Series("voice_worker_jobs_total", [Label("kind", "sync"), Label("outcome", "dropped")]): 1,
            Series("voice_worker_jobs_total", [Label("kind", "webhook"), Label("outcome", "dropped")]): 1,
            Series("voice_worker_jobs_total", [Label("kind", "sync"), Label("outcome", "done")]): 1,
        ])
        XCTAssertEqual(snapshot.histograms[Series("voice_worker_job_duration_seconds", [Label("kind", "sync")])]?.count, 3)
    }

    func testAFailedJobComesBackOnlyAfterItsBackoff() throws {
        clock.jitter = 0.5
        let claimed = try XCTUnwrap(try claim())
        XCTAssertEqual(attempt().run(claimed) { 4 }, .failed)

        let stored = try XCTUnwrap(store.jobs.first)
        XCTAssertEqual(stored.attempts, 1)
        XCTAssertEqual(stored.notBefore, start + 0.75, "1 s ceiling, half fixed, half the draw of 0.5")
        XCTAssertEqual(stored.firstFailureAt, start)
        XCTAssertEqual(stored.lastError, "DynamoDB unreachable")
        XCTAssertNil(stored.claimedBy)

        clock.now = start + 0.74
        XCTAssertNil(try claim(), "not before its retry time")
        clock.now = start + 0.75
        XCTAssertEqual(try claim()?.job.id, stored.id)
    }

    func testRetriesOfALastingOutageGrowToFiveMinutesApart() throws {
        let attempt = attempt()
        var failedAt: [Double] = []
        for _ in 0..<15 {
            try failWhenDue(attempt)
            failedAt.append(clock.now)
        }
        let next = try XCTUnwrap(store.jobs.first).notBefore
        let gaps = zip(failedAt.dropFirst() + [next], failedAt).map { $0 - $1 }
        XCTAssertEqual(gaps, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300, 300, 300, 300])
        XCTAssertEqual(try store.jobs.first?.attempts, 15)
    }

    func testAFailingJobIsAnErrorAfterFiveMinutesThenOnceAnHourAndAWarningOtherwise() throws {
        let attempt = attempt()
        var failures = 0
        var errorsAt: [Double] = []
        while clock.now < start + 3.5 * 3600 {
            try failWhenDue(attempt)
            failures += 1
            if log.lines.last?.level == .error { errorsAt.append(clock.now - start) }
        }
        // Failures come at 0, 1, 3 … 255, 511 s, then every 300 s: the first at
        // or after 5 minutes is an error, then the first an hour after the last error.
        XCTAssertEqual(errorsAt, [511, 4111, 7711, 11311])
        let lines = log.lines
        XCTAssertEqual(lines.count, failures, "one line per failure")
        let errors = lines.filter { $0.level == .error }
        XCTAssertEqual(errors.map { "\($0.metadata["attempts"] ?? "")" }, ["10", "22", "34", "46"])
        XCTAssertEqual(errors.map(\.message), Array(repeating: "job still failing; kept for retry", count: 4))
        XCTAssertTrue(lines.filter { $0.level != .error }.allSatisfy {
            $0.level == .warning && $0.message == "job failed; will retry"
        })
        for line in errors {
            XCTAssertEqual(line.metadata["kind"], "sync")
            XCTAssertEqual(line.metadata["call_sid"], "CA1")
            XCTAssertEqual(line.metadata["reason"], "DynamoDB unreachable")
        }
        XCTAssertEqual(try store.jobs.first?.lastAlertAt, start + 11311, "the last error line is remembered")
    }

    func testADoneJobLeavesTheOutboxQuietly() throws {
        try failWhenDue(attempt())
        try failWhenDue(attempt())
        clock.now = try XCTUnwrap(store.jobs.first).notBefore
        let claimed = try XCTUnwrap(try claim())
        XCTAssertEqual(attempt { _ in .done }.run(claimed) { 4 }, .success)
        XCTAssertTrue(try store.jobs.isEmpty)
        XCTAssertEqual(log.lines.map(\.level), [.warning, .warning, .debug])
    }
}
