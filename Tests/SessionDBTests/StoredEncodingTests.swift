import Foundation
import SessionDB
import Testing

@Suite("Stored encoding")
final class StoredEncodingTests {
    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stored-\(UUID().uuidString)").path
    private let db: SessionDB

    init() throws {
        db = try SessionDB(options: SessionDBOptions(directory: directory, mapSizeBytes: 64 << 20),
                           databases: ["outbox", "raw", "names"])
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func job() -> OutboxJob {
        var job = OutboxJob(kind: "sync", subject: "CA1", payload: ["version": "7", "note": "“quoted” नमस्ते"],
                            notBefore: 1_800_000_000.25, now: 1_799_999_999.5)
        job.attempts = 3
        job.lastError = "DynamoDB answered 500"
        job.firstFailureAt = 1_800_000_001
        job.claimedBy = "host:42:1"
        job.lastAlertAt = 1_800_000_002
        job.merged = 4
        return job
    }

    @Test("An outbox job with every field set reads back equal; the codec covers every field")
    func jobRoundTrip() throws {
        let store = try db.store("outbox", of: OutboxJob.self)
        let original = job()
        try db.write { txn in try txn.put(store, "k", original) }
        #expect(try db.get(store, "k") == original)
        // A field added to OutboxJob must be written by its compact codec (and take a new version).
        #expect(Mirror(reflecting: original).children.count == 12)
        let raw = try db.rawStore("outbox")
        #expect(try db.read { txn in try txn.bytes(raw, "k") }?.first == 0xC1)
    }

    @Test("Jobs and strings stored as JSON by an earlier version are still read, and claimed")
    func earlierJSON() throws {
        let raw = try db.rawStore("outbox")
        let names = try db.rawStore("names")
        let original = job()
        try db.write { txn in
            try txn.put(raw, "000001800000000|x", bytes: [UInt8](try JSONEncoder().encode(original)))
            try txn.put(names, "a", bytes: [UInt8](try JSONEncoder().encode("a value")))
        }
        #expect(try db.get(try db.store("outbox", of: OutboxJob.self), "000001800000000|x") == original)
        #expect(try db.get(try db.store("names", of: String.self), "a") == "a value")
        let outbox = try Outbox(database: db, name: "outbox")
        let claimed = try outbox.claim(in: db, now: 1_900_000_000, lease: 30, worker: "w:1:0")
        #expect(claimed.map(\.job.id) == [original.id])
    }

    @Test("Damaged compact bytes are a decoding error, never a crash")
    func damaged() throws {
        let store = try db.store("outbox", of: OutboxJob.self)
        let raw = try db.rawStore("outbox")
        try db.write { txn in try txn.put(store, "k", job()) }
        let bytes = try #require(try db.read { txn in try txn.bytes(raw, "k") })
        for damaged in [Array(bytes.prefix(bytes.count - 1)), bytes + [0], [0xC1, 9] + bytes.dropFirst(2)] {
            try db.write { txn in try txn.put(raw, "k", bytes: damaged) }
            #expect(throws: SessionDBError.self) { _ = try db.get(store, "k") }
        }
    }
}
