import Foundation
import XCTest
@testable import VoiceService

/// make-call's lookups run on kept threads: a thread (and its HTTP connections)
/// serves one lookup after another, a slow lookup never holds up another, and
/// idle threads end.
final class LookupThreadsTests: XCTestCase {
    private final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var threads: [ObjectIdentifier] = []
        func record() { lock.withLock { threads.append(ObjectIdentifier(Thread.current)) } }
        var distinct: Int { lock.withLock { Set(threads).count } }
        var count: Int { lock.withLock { threads.count } }
    }

    private func waitUntil(_ what: String, _ condition: () -> Bool) {
        let deadline = Date() + 30
        while !condition() {
            if Date() > deadline { return XCTFail("timed out waiting until \(what)") }
            usleep(2_000)
        }
    }

    func testLookupsOneAfterAnotherShareOneThread() {
        let pool = LookupThreads(maximum: 8, idleLifetime: .seconds(60))
        let recorder = Recorder()
        for expected in 1...5 {
            let done = DispatchSemaphore(value: 0)
            pool.run {
                recorder.record()
                done.signal()
            }
            XCTAssertEqual(done.wait(timeout: .now() + 30), .success)
            // The thread goes back to waiting after signalling.
            waitUntil("the thread is idle after lookup \(expected)") { pool.counts.idle == 1 }
        }
        XCTAssertEqual(recorder.distinct, 1)
        XCTAssertEqual(pool.counts.started, 1)
    }

    func testASlowLookupDoesNotHoldUpTheOthers() {
        let pool = LookupThreads(maximum: 8, idleLifetime: .seconds(60))
        let release = DispatchSemaphore(value: 0)
        let allStarted = DispatchSemaphore(value: 0)
        let recorder = Recorder()
        for _ in 0..<4 {
            pool.run {
                recorder.record()
                if recorder.count == 4 { allStarted.signal() }
                release.wait()
            }
        }
        XCTAssertEqual(allStarted.wait(timeout: .now() + 30), .success, "four blocking lookups run at once")
        XCTAssertEqual(recorder.distinct, 4)
        for _ in 0..<4 { release.signal() }
    }

    func testBeyondTheMaximumALookupWaitsForAFreeThread() {
        let pool = LookupThreads(maximum: 2, idleLifetime: .seconds(60))
        let release = DispatchSemaphore(value: 0)
        let recorder = Recorder()
        for _ in 0..<3 {
            pool.run {
                recorder.record()
                release.wait()
            }
        }
        waitUntil("two lookups started") { recorder.count == 2 }
        XCTAssertEqual(pool.counts, .init(alive: 2, idle: 0, queued: 1, started: 2),
                       "the third waits while both threads are busy")
        release.signal()
        waitUntil("the third lookup started") { recorder.count == 3 }
        release.signal()
        release.signal()
    }

    func testIdleThreadsEnd() {
        let pool = LookupThreads(maximum: 8, idleLifetime: .milliseconds(50))
        let release = DispatchSemaphore(value: 0)
        for _ in 0..<3 { pool.run { release.wait() } }
        waitUntil("three threads alive") { pool.counts.alive == 3 }
        for _ in 0..<3 { release.signal() }
        waitUntil("the idle threads ended") { pool.counts.alive == 0 }
        let done = DispatchSemaphore(value: 0)
        pool.run { done.signal() }
        XCTAssertEqual(done.wait(timeout: .now() + 30), .success, "a lookup after that starts a thread again")
        XCTAssertEqual(pool.counts.started, 4)
    }
}
