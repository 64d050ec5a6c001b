import Foundation
import SessionDB
import XCTest

/// The policy the voice worker uses: syncs of one call merge while pending, and
/// a pending finalization makes them moot.
final class OutboxCoalescingTests: XCTestCase {
    private var directory = ""
    private var db: SessionDB!
    private var outbox: Outbox!

    private let policy = OutboxPolicy(rules: [
        "create": .init(slot: "session", coalesces: true),
        "sync": .init(slot: "session", coalesces: true),
        "finalize": .init(slot: "final", coalesces: false, supersedes: ["session"]),
    ])

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("coalesce-\(UUID().uuidString)").path
        db = try SessionDB(options: SessionDBOptions(directory: directory, mapSizeBytes: 64 << 20),
                           databases: ["outbox", "outbox_index"])
        outbox = try Outbox(database: db, name: "outbox", indexName: "outbox_index", policy: policy)
    }

    override func tearDown() {
        db = nil
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func enqueue(_ kind: String, _ subject: String = "CA1", version: Int = 0, at time: Double = 0) throws {
        try db.write { txn in
            try outbox.enqueue(OutboxJob(kind: kind, subject: subject, payload: ["version": "\(version)"],
                                         notBefore: time, now: time), in: txn)
        }
    }

    private func jobs() throws -> [String] {
        try outbox.all(in: db).map { "\($0.kind) \($0.subject) v\($0.payload["version"] ?? "-")" }
    }

    func testSyncsOfOneCallMergeIntoThePendingOneWhichCarriesTheNewestPayload() throws {
        for version in 1...5 { try enqueue("sync", version: version) }
        try enqueue("sync", "CA2", version: 1)
        XCTAssertEqual(try jobs().sorted(), ["sync CA1 v5", "sync CA2 v1"])
        XCTAssertEqual(try outbox.all(in: db).first { $0.subject == "CA1" }?.merged, 4)
        XCTAssertEqual(try outbox.counts(in: db), OutboxCounts(coalesced: 4, moot: 0))
    }

    func testASyncMergesIntoAPendingRecordCreation() throws {
        try enqueue("create", version: 1)
        try enqueue("sync", version: 2)
        XCTAssertEqual(try jobs(), ["create CA1 v2"])
    }

    func testASyncInProgressDoesNotAbsorbANewOne() throws {
        try enqueue("sync", version: 1)
        let claimed = try outbox.claim(in: db, now: 1, lease: 60, worker: "w")
        XCTAssertEqual(claimed.count, 1)
        // The running sync may have read the session before this change.
        try enqueue("sync", version: 2, at: 2)
        XCTAssertEqual(try jobs(), ["sync CA1 v2", "sync CA1 v1"])
        try outbox.complete(claimed[0], in: db)
        XCTAssertEqual(try jobs(), ["sync CA1 v2"])
    }

    func testFinalizationDropsPendingSyncsAndLaterOnes() throws {
        try enqueue("sync", version: 1)
        try enqueue("sync", "CA2", version: 1)
        try enqueue("finalize", version: 3)
        XCTAssertEqual(try jobs().sorted(), ["finalize CA1 v3", "sync CA2 v1"])
        try enqueue("sync", version: 4)
        XCTAssertEqual(try jobs().sorted(), ["finalize CA1 v3", "sync CA2 v1"], "a sync after the finalization is moot")
        XCTAssertEqual(try outbox.counts(in: db).moot, 2)
    }

    func testTwoFinalizationsAreBothKept() throws {
        try enqueue("finalize", version: 1)
        try enqueue("finalize", version: 2)
        XCTAssertEqual(try jobs().count, 2)
    }

    func testAFailedSyncGivesWayToANewerPendingOne() throws {
        try enqueue("sync", version: 1)
        let claimed = try outbox.claim(in: db, now: 1, lease: 60, worker: "w")
        try enqueue("sync", version: 2, at: 2)
        XCTAssertNil(try outbox.fail(claimed[0], error: "throttled", retryAt: 10, now: 3, in: db))
        XCTAssertEqual(try jobs(), ["sync CA1 v2"])
    }

    func testAFailedSyncWaitsAgainAndStillAbsorbsNewerOnes() throws {
        try enqueue("sync", version: 1)
        let claimed = try outbox.claim(in: db, now: 1, lease: 60, worker: "w")
        let failed = try outbox.fail(claimed[0], error: "throttled", retryAt: 10, now: 3, in: db)
        XCTAssertEqual(failed?.attempts, 1)
        try enqueue("sync", version: 2, at: 4)
        XCTAssertEqual(try jobs(), ["sync CA1 v2"])
        XCTAssertEqual(try outbox.all(in: db).first?.attempts, 1, "the waiting job keeps its retry state")
    }

    func testJobsOfADeadWorkerAreIndexedAgainWhenReleased() throws {
        try enqueue("sync", version: 1)
        _ = try outbox.claim(in: db, now: 1, lease: 60, worker: "dead")
        XCTAssertEqual(try outbox.releaseClaims(in: db, now: 2) { $0 == "dead" }, 1)
        try enqueue("sync", version: 2, at: 3)
        XCTAssertEqual(try jobs(), ["sync CA1 v2"])
    }

    func testRetryNowKeepsTheIndexOnTheMovedJob() throws {
        try enqueue("sync", version: 1, at: 100)
        XCTAssertEqual(try outbox.retryNow(in: db, now: 5), 1)
        try enqueue("sync", version: 2, at: 6)
        XCTAssertEqual(try jobs(), ["sync CA1 v2"])
        XCTAssertEqual(try outbox.all(in: db).first?.notBefore, 5)
    }

    func testTheJobsOfOneCallRunOneAtATime() throws {
        try enqueue("create", version: 1, at: 1)
        try enqueue("sync", "CA2", version: 1, at: 1)
        let first = try outbox.claim(in: db, now: 10, lease: 60, worker: "w1")
        XCTAssertEqual(first.map { "\($0.job.kind) \($0.job.subject)" }.sorted(), ["create CA1", "sync CA2"])
        // The call ends while its record is being created.
        try enqueue("finalize", version: 2, at: 11)
        try enqueue("sync", "CA3", version: 1, at: 11)
        XCTAssertEqual(try outbox.claim(in: db, now: 12, lease: 60, worker: "w2").map(\.job.subject), ["CA3"],
                       "the finalization waits while the creation of its record runs")
        try outbox.complete(first.first { $0.job.subject == "CA1" }!, in: db)
        XCTAssertEqual(try outbox.claim(in: db, now: 13, lease: 60, worker: "w2").map(\.job.kind), ["finalize"])
        // A worker that dies holds its call only until its lease runs out.
        try enqueue("sync", "CA2", version: 2, at: 14)
        XCTAssertTrue(try outbox.claim(in: db, now: 15, lease: 60, worker: "w3").isEmpty)
        XCTAssertEqual(try outbox.claim(in: db, now: 80, lease: 60, worker: "w3").map(\.job.subject).sorted(),
                       ["CA1", "CA2", "CA3"])
    }

    /// The read-only question an idle worker asks before claiming answers as a
    /// claim would: not yet due, due, held back behind a running job of its call.
    func testHasDueJobAnswersAsAClaimWould() throws {
        XCTAssertFalse(try outbox.hasDueJob(in: db, now: 10), "an empty outbox")
        try enqueue("create", version: 1, at: 5)
        XCTAssertFalse(try outbox.hasDueJob(in: db, now: 4), "not due yet")
        XCTAssertTrue(try outbox.hasDueJob(in: db, now: 5))
        let create = try outbox.claim(in: db, now: 5, lease: 60, worker: "w1")
        XCTAssertFalse(try outbox.hasDueJob(in: db, now: 6), "the one job is in a worker's hands")
        try enqueue("finalize", version: 2, at: 6)
        XCTAssertFalse(try outbox.hasDueJob(in: db, now: 7), "the finalization waits for the creation of its record")
        XCTAssertTrue(try outbox.claim(in: db, now: 7, lease: 60, worker: "w2").isEmpty)
        try outbox.complete(create[0], in: db)
        XCTAssertTrue(try outbox.hasDueJob(in: db, now: 8))
        XCTAssertEqual(try outbox.claim(in: db, now: 8, lease: 60, worker: "w2").map(\.job.kind), ["finalize"])
        XCTAssertFalse(try outbox.hasDueJob(in: db, now: 9))
        // A lease that ran out makes the job due again, for the question too.
        XCTAssertTrue(try outbox.hasDueJob(in: db, now: 69))
    }

    func testAFailedJobFreesItsCall() throws {
        try enqueue("create", version: 1, at: 1)
        let claimed = try outbox.claim(in: db, now: 10, lease: 60, worker: "w1")
        try enqueue("finalize", version: 2, at: 11)
        XCTAssertTrue(try outbox.claim(in: db, now: 12, lease: 60, worker: "w2").isEmpty)
        try outbox.fail(claimed[0], error: "timeout", retryAt: 30, now: 13, in: db)
        XCTAssertEqual(try outbox.claim(in: db, now: 14, lease: 60, worker: "w2").map(\.job.kind), ["finalize"])
    }

    func testWithoutAnIndexEveryJobIsKept() throws {
        let plain = try Outbox(database: db, name: "outbox", policy: policy)
        for version in 1...3 {
            try db.write { txn in
                try plain.enqueue(OutboxJob(kind: "sync", subject: "CA9", payload: ["version": "\(version)"],
                                            notBefore: 0, now: 0), in: txn)
            }
        }
        XCTAssertEqual(try plain.all(in: db).count, 3)
    }
}
