import Foundation
import HTTPClient
import TestSupport
import XCTest
@testable import VoiceService

/// make-call stops waiting for a slow Query and comes back to the same one
/// after answering: the Query runs once, whatever the waits.
final class PendingLookupTests: XCTestCase {
    private struct Refused: Error {}

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func increment() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }

    func testAFastLookupIsWaitedFor() throws {
        let lookup = PendingLookup { 42 }
        XCTAssertEqual(try lookup.wait(until: .now + .seconds(30))?.get(), 42)
    }

    func testAWaitThatGivesUpLeavesTheLookupRunningAndALaterWaitGetsItsResult() throws {
        let release = DispatchSemaphore(value: 0)
        let runs = Counter()
        let lookup = PendingLookup { () -> [String] in
            runs.increment()
            release.wait()
            return ["CA1", "CA2"]
        }
        XCTAssertNil(lookup.wait(until: .now + .milliseconds(20)), "still running")
        XCTAssertNil(lookup.wait(until: .now - .seconds(1)), "a deadline already past does not wait")
        release.signal()
        XCTAssertEqual(try lookup.wait(until: .now + .seconds(30))?.get(), ["CA1", "CA2"])
        XCTAssertEqual(try lookup.wait(until: .now)?.get(), ["CA1", "CA2"], "the result stays")
        XCTAssertEqual(runs.value, 1)
    }

    func testLookupsRunOnTheKeptThreadsTheyAreGiven() throws {
        let threads = LookupThreads(maximum: 4, idleLifetime: .seconds(60))
        XCTAssertEqual(try PendingLookup(on: threads) { 1 }.wait(until: .now + .seconds(30))?.get(), 1)
        let deadline = Date() + 30
        while threads.counts.idle != 1, Date() < deadline { usleep(2_000) }
        XCTAssertEqual(try PendingLookup(on: threads) { 2 }.wait(until: .now + .seconds(30))?.get(), 2)
        XCTAssertEqual(threads.counts.started, 1, "the second lookup took the thread the first left idle")
    }

    /// In production each lookup is a Query over TLS: a lookup that opened a
    /// connection of its own would pay a handshake on every call.
    func testLookupsOneAfterAnotherReuseTheirThreadsConnection() throws {
        let server = try TestHTTPServer(keepAlive: true) { _, _ in .json(200, "{}") }
        defer { server.stop() }
        let threads = LookupThreads(maximum: 4, idleLifetime: .seconds(60))
        let client = HTTPClient.shared
        let url = server.baseURL + "/past-calls"
        for index in 0..<3 {
            let lookup = PendingLookup(on: threads) { try client.execute(HTTPRequest(method: "GET", url: url)).status }
            XCTAssertEqual(try lookup.wait(until: .now + .seconds(30))?.get(), 200)
            let deadline = Date() + 30
            while threads.counts.idle != 1, Date() < deadline { usleep(2_000) }
            XCTAssertEqual(server.requests.count, index + 1)
        }
        XCTAssertEqual(server.connections, 1, "three lookups, one connection")
    }

    func testAFailureIsTheResult() {
        let lookup = PendingLookup { () throws -> Int in throw Refused() }
        guard case .failure(let error) = lookup.wait(until: .now + .seconds(30)) else {
            return XCTFail("expected the lookup's error")
        }
        XCTAssertTrue(error is Refused)
    }
}
