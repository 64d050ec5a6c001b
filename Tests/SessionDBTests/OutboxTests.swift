import Foundation
import SessionDB
import XCTest

final class OutboxTests: XCTestCase {
    private var directory = ""
    private var db: SessionDB!
    private var outbox: Outbox!
    private var notes: Store<String>!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-\(UUID().uuidString)").path
        db = try SessionDB(options: SessionDBOptions(directory: directory, mapSizeBytes: 64 << 20),
                           databases: ["outbox", "notes"])
        outbox = try Outbox(database: db, name: "outbox")
        notes = try db.store("notes", of: String.self)
    }

    override func tearDown() {
        db = nil
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func enqueue(_ kind: String, at time: Double) throws {
        try db.write { txn in
            try outbox.enqueue(OutboxJob(kind: kind, subject: "CA1", notBefore: time, now: 0), in: txn)
        }
    }

    func testAJobCommitsWithTheChangeThatCausedItOrNotAtAll() throws {
        struct Abort: Error {}
        XCTAssertThrowsError(try db.write { txn in
            try txn.put(notes, "CA1", "turn 5")
            try outbox.enqueue(OutboxJob(kind: "sync", subject: "CA1", notBefore: 0, now: 0), in: txn)
            throw Abort()
        })
        XCTAssertTrue(try outbox.all(in: db).isEmpty)
        try db.write { txn in
            try txn.put(notes, "CA1", "turn 5")
            try outbox.enqueue(OutboxJob(kind: "sync", subject: "CA1", notBefore: 0, now: 0), in: txn)
        }
        XCTAssertEqual(try outbox.all(in: db).map(\.kind), ["sync"])
    }

    func testClaimTakesDueJobsInOrderAndLeasesThem() throws {
        try enqueue("later", at: 200)
        try enqueue("first", at: 10)
        try enqueue("second", at: 20)
        let claimed = try outbox.claim(in: db, now: 100, lease: 60, worker: "w1")
        XCTAssertEqual(claimed.map(\.job.kind), ["first", "second"])
        XCTAssertTrue(try outbox.claim(in: db, now: 100, lease: 60, worker: "w2").isEmpty, "leased jobs are not due")
        // The lease expires: a dead worker's jobs are taken again.
        let retaken = try outbox.claim(in: db, now: 161, lease: 60, worker: "w2")
        XCTAssertEqual(Set(retaken.map(\.job.kind)), ["first", "second"])
        XCTAssertEqual(Set(retaken.compactMap(\.job.claimedBy)), ["w2"])
        // The first worker's late completion does not remove the job w2 holds.
        try outbox.complete(claimed[0], in: db)
        XCTAssertEqual(try outbox.all(in: db).count, 3)
        try outbox.complete(retaken.first { $0.job.kind == "first" }!, in: db)
        XCTAssertEqual(Set(try outbox.all(in: db).map(\.kind)), ["second", "later"])
    }

    func testFailureKeepsTheJobWithItsErrorAndRetryTime() throws {
        try enqueue("finalize", at: 0)
        let claimed = try outbox.claim(in: db, now: 5, lease: 30, worker: "w")
        let failed = try outbox.fail(claimed[0], error: "NoSuchBucket", retryAt: 15, now: 5, in: db)
        XCTAssertEqual(failed?.attempts, 1)
        XCTAssertEqual(failed?.lastError, "NoSuchBucket")
        XCTAssertEqual(failed?.firstFailureAt, 5)
        XCTAssertTrue(try outbox.claim(in: db, now: 14, lease: 30, worker: "w").isEmpty)
        let again = try outbox.claim(in: db, now: 15, lease: 30, worker: "w")
        XCTAssertEqual(again.first?.job.attempts, 1)
        try outbox.complete(again[0], in: db)
        XCTAssertTrue(try outbox.all(in: db).isEmpty)
    }

    func testConcurrentWorkersNeverShareAJob() throws {
        for index in 0..<200 { try enqueue("job-\(index)", at: 0) }
        let seen = Seen()
        let (db, outbox) = (db!, outbox!)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            while true {
                guard let batch = try? outbox.claim(in: db, now: 1, lease: 1000, worker: "w\(worker)", limit: 7),
                      !batch.isEmpty else { return }
                seen.add(batch.map(\.job.id))
                for job in batch { try? outbox.complete(job, in: db) }
            }
        }
        XCTAssertEqual(seen.ids.count, 200)
        XCTAssertEqual(Set(seen.ids).count, 200)
        XCTAssertTrue(try outbox.all(in: db).isEmpty)
    }
}

private final class Seen: @unchecked Sendable {
    private let lock = NSLock()
    private var all: [String] = []

    func add(_ ids: [String]) {
        lock.lock()
        all += ids
        lock.unlock()
    }

    var ids: [String] {
        lock.lock()
        defer { lock.unlock() }
        return all
    }
}
