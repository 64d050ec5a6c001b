import Logging
import SessionDB
import Voice
import XCTest
@testable import VoiceService

/// The sweep that closes calls Twilio never reported over, raced against the
/// callbacks and finalizations that may land between its read and its write.
/// The sweep's two steps are called one by one, so each race is replayed exactly.
final class AbandonedCallSweepTests: XCTestCase {
    private var store: TemporarySessions!
    private var log: LogRecorder!
    private let answeredAt = 1_800_000_000.0
    /// Idle for longer than `abandonAfter` (900 s).
    private var later: Double { answeredAt + 1000 }

    override func setUpWithError() throws {
        store = try TemporarySessions()
        log = LogRecorder()
        try store.answer("CA1", at: answeredAt)
    }

    override func tearDown() {
        store = nil
    }

    private var sweep: AbandonedCallSweep {
        AbandonedCallSweep(sessions: store.sessions, abandonAfter: 900, logger: log.logger)
    }

    private var finalizations: [String] {
        get throws { try store.jobs.filter { $0.kind == VoiceJob.finalize }.compactMap { $0.payload["status"] } }
    }

    /// The worker takes the call's next job and performs it (no DynamoDB: the
    /// finalization retires the session).
    private func workerRunsTheNextJob() throws {
        let runner = JobRunner(sessions: store.sessions, calls: nil, archiver: nil,
                               archived: try ArchivedRecordings(database: store.database, name: "archived_recordings"),
                               logger: log.logger)
        // The callback's job is due at the wall-clock instant it came.
        let claimed = try XCTUnwrap(try store.sessions.outbox.claim(
            in: store.database, now: Date().timeIntervalSince1970, lease: 60, worker: "test:1:0", limit: 1).first)
        try runner.perform(claimed.job)
        try store.sessions.outbox.complete(claimed, in: store.database)
    }

    func testAnIdleCallIsClosedAsAbandonedOnce() throws {
        try store.answer("CA2", at: later - 10)
        sweep.run(now: later)
        XCTAssertEqual(try finalizations, ["abandoned"])
        XCTAssertEqual(try store.jobs.first?.subject, "CA1", "a call active 10 s ago is left alone")
        sweep.run(now: later + 30)
        XCTAssertEqual(try finalizations, ["abandoned"], "the next sweep sees it closed")
        XCTAssertEqual(log.lines.filter { $0.message == "call abandoned" }.count, 1)
    }

    func testACallReportedOverDuringTheSweepIsNotAbandoned() throws {
        XCTAssertEqual(try sweep.candidates(now: later), ["CA1"])
        try StatusCallbacks(store).report("CA1", status: "completed")
        XCTAssertFalse(try sweep.close("CA1", now: later))
        XCTAssertEqual(try finalizations, ["completed"])
    }

    func testACallFinalizedDuringTheSweepIsNotAbandoned() throws {
        XCTAssertEqual(try sweep.candidates(now: later), ["CA1"])
        try StatusCallbacks(store).report("CA1", status: "completed")
        try workerRunsTheNextJob()
        XCTAssertNil(try store.sessions.session("CA1"), "finalized")
        XCTAssertFalse(try sweep.close("CA1", now: later))
        XCTAssertEqual(try store.jobs.map(\.kind), [], "no finalization left to record the call as abandoned")
    }

    func testACallThatSpokeAgainDuringTheSweepIsNotAbandoned() throws {
        XCTAssertEqual(try sweep.candidates(now: later), ["CA1"])
        try store.sessions.update("CA1") { session, _ in
            session?.lastActivityAt = Timestamp(Date(timeIntervalSince1970: later - 1))
        }
        XCTAssertFalse(try sweep.close("CA1", now: later))
        XCTAssertEqual(try finalizations, [])
    }

    func testTwoWorkersSweepingTogetherCloseACallOnce() throws {
        let first = sweep, second = sweep
        XCTAssertEqual(try first.candidates(now: later), ["CA1"])
        XCTAssertEqual(try second.candidates(now: later), ["CA1"])
        XCTAssertTrue(try first.close("CA1", now: later))
        XCTAssertFalse(try second.close("CA1", now: later))
        XCTAssertEqual(try finalizations, ["abandoned"])
        XCTAssertEqual(try store.sessions.session("CA1")?.finalStatus, .abandoned, "no longer a live call")
    }

    func testACallTwilioReportedOverWaitsForItsOwnFinalization() throws {
        // The finalization Twilio's callback queued is in a worker's hands (or
        // failing and retried): the session stays, idle, marked with its status.
        try StatusCallbacks(store).report("CA1", status: "busy")
        let claimed = try store.sessions.outbox.claim(in: store.database, now: Date().timeIntervalSince1970, lease: 60,
                                                      worker: "test:1:0")
        XCTAssertEqual(claimed.map(\.job.kind), [VoiceJob.finalize])
        try store.sessions.outbox.complete(claimed[0], in: store.database)
        XCTAssertEqual(try store.sessions.session("CA1")?.finalStatus, .busy)
        XCTAssertEqual(try sweep.candidates(now: later), [])
        XCTAssertFalse(try sweep.close("CA1", now: later))
        XCTAssertEqual(try finalizations, [])
    }
}
