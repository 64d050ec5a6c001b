import XCTest
@testable import VoiceService

/// The worker's retry delays as values: growth, the cap and the jitter.
final class BackoffTests: XCTestCase {
    let backoff = Backoff()

    func testTheCeilingDoublesFromOneSecondWithEachFailure() {
        let ceilings = (1...9).map { backoff.delay(afterAttempts: $0, unit: 1) }
        XCTAssertEqual(ceilings, [1, 2, 4, 8, 16, 32, 64, 128, 256])
    }

    func testDelaysStopGrowingAtFiveMinutes() {
        XCTAssertEqual(backoff.delay(afterAttempts: 10, unit: 1), 300, "512 s capped")
        for attempts in [11, 20, 31, 64, 10_000, Int.max] {
            XCTAssertEqual(backoff.delay(afterAttempts: attempts, unit: 1), 300, "attempt \(attempts)")
            XCTAssertEqual(backoff.delay(afterAttempts: attempts, unit: 0), 150, "attempt \(attempts)")
        }
    }

    func testJitterKeepsHalfTheCeilingAndRandomisesTheOtherHalf() {
        for attempts in [1, 4, 9, 10, 40] {
            let ceiling = backoff.delay(afterAttempts: attempts, unit: 1)
            XCTAssertEqual(backoff.delay(afterAttempts: attempts, unit: 0), ceiling / 2, "never at once")
            XCTAssertEqual(backoff.delay(afterAttempts: attempts, unit: 0.5), ceiling * 0.75)
            var generator = SplitMix64(seed: UInt64(attempts))
            for _ in 0..<200 {
                let unit = Double.random(in: 0...1, using: &generator)
                let delay = backoff.delay(afterAttempts: attempts, unit: unit)
                XCTAssertGreaterThanOrEqual(delay, ceiling / 2)
                XCTAssertLessThanOrEqual(delay, ceiling)
                XCTAssertEqual(delay, ceiling * (0.5 + 0.5 * unit), accuracy: 1e-9, "follows the draw")
            }
        }
    }

    func testTheFirstFailureIsRetriedWithinASecondNotAtOnce() {
        XCTAssertEqual(backoff.delay(afterAttempts: 1, unit: 0), 0.5)
        XCTAssertEqual(backoff.delay(afterAttempts: 0, unit: 1), 1, "no attempt counts as the first")
    }

    func testTheSystemJitterIsAUnitDraw() {
        let draws = (0..<1000).map { _ in WorkerClock.system.jitter() }
        XCTAssertTrue(draws.allSatisfy { (0...1).contains($0) })
        XCTAssertGreaterThan(Set(draws).count, 900, "jobs that failed together come back apart")
    }
}
