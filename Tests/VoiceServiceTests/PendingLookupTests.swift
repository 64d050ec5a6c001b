import Foundation
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

    func testAFailureIsTheResult() {
        let lookup = PendingLookup { () throws -> Int in throw Refused() }
        guard case .failure(let error) = lookup.wait(until: .now + .seconds(30)) else {
            return XCTFail("expected the lookup's error")
        }
        XCTAssertTrue(error is Refused)
    }
}
