import Foundation
import SessionDB
import XCTest

final class SessionDBTests: XCTestCase {
    struct Call: Codable, Sendable, Equatable {
        var sid: String
        var messages: [String]
    }

    private var directory = ""

    override func setUp() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sdb-\(UUID().uuidString)").path
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func open(mapSize: Int = 64 << 20, writeMap: Bool = true) throws -> SessionDB {
        try SessionDB(options: SessionDBOptions(directory: directory, mapSizeBytes: mapSize, writeMap: writeMap),
                      databases: ["calls", "counters"])
    }

    func testEitherCommitModeKeepsCommitsAndDropsAborts() throws {
        struct Abort: Error {}
        for writeMap in [true, false] {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("sdb-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            do {
                let db = try open(writeMap: writeMap)
                XCTAssertEqual(db.options.writeMap, writeMap)
                let counters = try db.store("counters", of: Int.self)
                try db.put(counters, "kept", 1)
                try db.read { snapshot in
                    // In place or copied, an open transaction's pages are not a reader's.
                    XCTAssertThrowsError(try db.write { txn in
                        try txn.put(counters, "kept", 2)
                        try txn.put(counters, "dropped", 3)
                        XCTAssertEqual(try snapshot.get(counters, "kept"), 1)
                        throw Abort()
                    })
                }
                XCTAssertEqual(try db.get(counters, "kept"), 1, "writeMap \(writeMap)")
            }
            let reopened = try open(writeMap: writeMap)
            let counters = try reopened.store("counters", of: Int.self)
            XCTAssertEqual(try reopened.get(counters, "kept"), 1, "writeMap \(writeMap)")
            XCTAssertNil(try reopened.get(counters, "dropped"), "writeMap \(writeMap)")
        }
    }

    func testPutGetDeleteAcrossReopen() throws {
        do {
            let db = try open()
            let calls = try db.store("calls", of: Call.self)
            try db.put(calls, "CA1", Call(sid: "CA1", messages: ["hi"]))
            XCTAssertEqual(try db.get(calls, "CA1"), Call(sid: "CA1", messages: ["hi"]))
            XCTAssertNil(try db.get(calls, "CA2"))
        }
        let db = try open()
        let calls = try db.store("calls", of: Call.self)
        XCTAssertEqual(try db.get(calls, "CA1")?.messages, ["hi"])
        XCTAssertTrue(try db.delete(calls, "CA1"))
        XCTAssertFalse(try db.delete(calls, "CA1"))
        XCTAssertNil(try db.get(calls, "CA1"))
    }

    func testHoldsComparesTheStoredBytesWithWhatWasRead() throws {
        let db = try open()
        let calls = try db.store("calls", of: Call.self)
        XCTAssertTrue(try db.read { try $0.holds(calls, "CA1", nil) }, "absent, as expected")
        try db.put(calls, "CA1", Call(sid: "CA1", messages: ["hi"]))
        let read = try db.read { try $0.encoded(calls, "CA1") }
        XCTAssertEqual(try read?.decode(), Call(sid: "CA1", messages: ["hi"]))
        XCTAssertFalse(try db.read { try $0.holds(calls, "CA1", nil) })
        XCTAssertTrue(try db.read { try $0.holds(calls, "CA1", read) })
        // Another writer changes it: what was read no longer holds.
        try db.put(calls, "CA1", Call(sid: "CA1", messages: ["hi", "there"]))
        XCTAssertFalse(try db.read { try $0.holds(calls, "CA1", read) })
        // A value encoded outside the transaction is stored as is.
        let next = try EncodedValue(Call(sid: "CA1", messages: ["bye"]))
        try db.write { try $0.put(calls, "CA1", encoded: next) }
        XCTAssertEqual(try db.get(calls, "CA1"), Call(sid: "CA1", messages: ["bye"]))
        XCTAssertTrue(try db.read { try $0.holds(calls, "CA1", next) })
    }

    func testContainsSeesAKeyWithoutDecodingIt() throws {
        let db = try open()
        let calls = try db.store("calls", of: Call.self)
        try db.put(try db.store("calls", of: String.self), "CA1", "not a call")
        XCTAssertTrue(try db.contains(calls, "CA1"))
        XCTAssertFalse(try db.contains(calls, "CA2"))
        XCTAssertThrowsError(try db.get(calls, "CA1"))
    }

    func testRemoveExpiredKeepsFreshEntries() throws {
        let db = try open()
        let marks = try db.store("counters", of: ExpiringValue<String>.self)
        try db.put(marks, "old", ExpiringValue(value: "a", storedAt: 100, ttl: 10))
        try db.put(marks, "new", ExpiringValue(value: "b", storedAt: 100, ttl: 1000))
        XCTAssertEqual(try db.removeExpired(marks, now: 500), 1)
        XCTAssertNil(try db.get(marks, "old"))
        XCTAssertEqual(try db.get(marks, "new")?.value, "b")
        XCTAssertEqual(try db.removeExpired(marks, now: 500), 0)
    }

    func testRemoveExpiredDeletesInBatches() throws {
        let db = try open()
        let marks = try db.store("counters", of: ExpiringValue<String>.self)
        for index in 0..<7 { try db.put(marks, "old\(index)", ExpiringValue(value: "a", storedAt: 100, ttl: 10)) }
        try db.put(marks, "new", ExpiringValue(value: "b", storedAt: 100, ttl: 1000))
        XCTAssertEqual(try db.removeExpired(marks, now: 500, batch: 3), 7)
        XCTAssertEqual(try db.read { try $0.all(marks) }.map(\.key), ["new"])
        XCTAssertEqual(try db.removeExpired(marks, now: 500, batch: 3), 0)
    }

    func testScanVisitsAPrefixInKeyOrder() throws {
        let db = try open()
        let counters = try db.store("counters", of: Int.self)
        try db.write { txn in
            for key in ["b:2", "a:1", "b:1", "c:1", "b:3"] { try txn.put(counters, key, key.count) }
        }
        let keys = try db.read { txn in try txn.all(counters, prefix: "b:").map(\.key) }
        XCTAssertEqual(keys, ["b:1", "b:2", "b:3"])
        var firstTwo: [String] = []
        try db.read { txn in
            try txn.scan(counters) { key, _ in
                firstTwo.append(key)
                return firstTwo.count < 2
            }
        }
        XCTAssertEqual(firstTwo, ["a:1", "b:1"])
        XCTAssertEqual(try db.read { try $0.count(counters) }, 5)
    }

    func testAThrowingWriteChangesNothing() throws {
        struct Abort: Error {}
        let db = try open()
        let counters = try db.store("counters", of: Int.self)
        try db.put(counters, "n", 1)
        XCTAssertThrowsError(try db.write { txn in
            try txn.put(counters, "n", 2)
            try txn.put(counters, "m", 3)
            throw Abort()
        })
        XCTAssertEqual(try db.get(counters, "n"), 1)
        XCTAssertNil(try db.get(counters, "m"))
    }

    func testUpdateIsAtomicAcrossThreads() throws {
        let db = try open()
        let counters = try db.store("counters", of: Int.self)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<500 {
                _ = try? db.update(counters, "shared") { value in value = (value ?? 0) + 1 }
            }
        }
        XCTAssertEqual(try db.get(counters, "shared"), 4000)
    }

    func testUpdateToNilDeletes() throws {
        let db = try open()
        let counters = try db.store("counters", of: Int.self)
        try db.put(counters, "gone", 1)
        try db.update(counters, "gone") { $0 = nil }
        XCTAssertNil(try db.get(counters, "gone"))
    }

    func testReadersSeeASnapshot() throws {
        let db = try open()
        let counters = try db.store("counters", of: Int.self)
        try db.put(counters, "n", 1)
        try db.read { txn in
            try db.put(counters, "n", 2)  // a writer does not wait for, nor disturb, the reader
            XCTAssertEqual(try txn.get(counters, "n"), 1)
        }
        XCTAssertEqual(try db.get(counters, "n"), 2)
    }

    func testAFullMapIsACleanError() throws {
        let db = try open(mapSize: 1 << 20)
        let calls = try db.store("calls", of: Call.self)
        let big = Call(sid: "x", messages: Array(repeating: String(repeating: "w", count: 1000), count: 50))
        var thrown: Error?
        for index in 0..<100 {
            do {
                try db.put(calls, "call-\(index)", big)
            } catch {
                thrown = error
                break
            }
        }
        XCTAssertEqual(thrown as? SessionDBError, .mapFull(mapSizeBytes: 1 << 20))
        // Still usable: reads work and deleting frees room for a new write.
        XCTAssertNotNil(try db.get(calls, "call-0"))
        try db.delete(calls, "call-0")
        try db.delete(calls, "call-1")
        try db.put(calls, "small", Call(sid: "s", messages: []))
    }

    func testInvalidKeysAreRefused() throws {
        let db = try open()
        let counters = try db.store("counters", of: Int.self)
        XCTAssertThrowsError(try db.put(counters, "", 1)) { XCTAssertEqual($0 as? SessionDBError, .invalidKey("")) }
        XCTAssertThrowsError(try db.put(counters, String(repeating: "k", count: 600), 1))
    }

    func testATransactionCannotBeUsedAfterItEnds() throws {
        let db = try open()
        let counters = try db.store("counters", of: Int.self)
        let escaped = try db.read { $0 }
        XCTAssertThrowsError(try escaped.get(counters, "n"))
        XCTAssertThrowsError(try db.read { txn in try txn.put(counters, "n", 1) })
    }

    func testDecodingAWrongTypeNamesTheKey() throws {
        let db = try open()
        try db.put(try db.store("calls", of: String.self), "CA9", "not a call")
        XCTAssertThrowsError(try db.get(try db.store("calls", of: Call.self), "CA9")) { error in
            guard case .decoding(let database, let key, _)? = error as? SessionDBError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(database, "calls")
            XCTAssertEqual(key, "CA9")
        }
    }

    func testStatisticsCountEntries() throws {
        let db = try open()
        try db.put(try db.store("counters", of: Int.self), "a", 1)
        let stats = try db.statistics()
        XCTAssertEqual(stats.entries["counters"], 1)
        XCTAssertEqual(stats.entries["calls"], 0)
        XCTAssertEqual(stats.space.mapSizeBytes, 64 << 20)
        XCTAssertGreaterThan(stats.space.usedBytes, 0)
        let free = try XCTUnwrap(stats.space.diskFreeBytes)
        let volume = try FileManager.default.attributesOfFileSystem(forPath: directory)
        let size = try XCTUnwrap((volume[.systemSize] as? NSNumber)?.intValue)
        XCTAssertGreaterThan(free, 0)
        XCTAssertLessThan(free, size)
        // /health's JSON: the space's fields flat beside the directory and the entries.
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(stats)) as? [String: Any]
        XCTAssertEqual(json?["map_size_bytes"] as? Int, 64 << 20)
        XCTAssertEqual(json?["disk_free_bytes"] as? Int, free)
        XCTAssertEqual((json?["entries"] as? [String: Int])?["counters"], 1)
        XCTAssertEqual(try JSONDecoder().decode(SessionDBStatistics.self, from: JSONEncoder().encode(stats)), stats)
    }
}
