import AWS
import Foundation
import XCTest
@testable import VoiceService

/// The worker sends fewer requests at once when AWS shows overload, and more
/// again, slowly, while requests succeed.
final class AdaptiveLimitTests: XCTestCase {
    /// A clock the test moves by hand.
    private final class ManualClock: @unchecked Sendable {
        private let lock = NSLock()
        private var instant = ContinuousClock.now
        func now() -> ContinuousClock.Instant { lock.withLock { instant } }
        func advance(_ duration: Duration) { lock.withLock { instant += duration } }
    }

    private func run(_ limit: AdaptiveLimit, _ outcome: AdaptiveLimit.Outcome, times: Int = 1) {
        for _ in 0..<times {
            XCTAssertTrue(limit.acquire { false })
            limit.release(outcome)
        }
    }

    func testOverloadHalvesTheLimitAtMostOnceASecond() {
        let clock = ManualClock()
        let limit = AdaptiveLimit(initial: 16, maximum: 16, clock: clock.now)
        run(limit, .overloaded)
        XCTAssertEqual(limit.current, 8)
        run(limit, .overloaded, times: 5)
        XCTAssertEqual(limit.current, 8, "the timeouts of one burst count once")
        clock.advance(.seconds(1))
        run(limit, .overloaded)
        XCTAssertEqual(limit.current, 4)
        for _ in 0..<5 {
            clock.advance(.seconds(1))
            run(limit, .overloaded)
        }
        XCTAssertEqual(limit.current, 1, "never below one job at a time")
    }

    func testSuccessesGrowTheLimitByAboutOneARound() {
        let limit = AdaptiveLimit(initial: 4, maximum: 64)
        run(limit, .success, times: 4)
        XCTAssertEqual(limit.current, 4, "four successes at four at once: less than one more")
        run(limit, .success, times: 1)
        XCTAssertEqual(limit.current, 5)
        run(limit, .success, times: 5000)
        XCTAssertEqual(limit.current, 64, "capped at the maximum")
    }

    func testFailuresThatSayNothingOfLoadLeaveTheLimit() {
        let limit = AdaptiveLimit(initial: 8, maximum: 8)
        run(limit, .failed, times: 20)
        XCTAssertEqual(limit.current, 8)
    }

    func testWhichErrorsCountAsOverload() {
        XCTAssertEqual(AdaptiveLimit.outcome(of: DynamoDBError.throttling(code: "ThrottlingException", message: "")),
                       .overloaded)
        XCTAssertEqual(AdaptiveLimit.outcome(of: DynamoDBError.deadlineExceeded), .overloaded)
        XCTAssertEqual(AdaptiveLimit.outcome(of: DynamoDBError.other(status: 503, code: "ServiceUnavailable", message: "")),
                       .overloaded)
        XCTAssertEqual(AdaptiveLimit.outcome(of: DynamoDBError.other(status: 400, code: "ValidationException", message: "")),
                       .failed)
        XCTAssertEqual(AdaptiveLimit.outcome(of: CancellationError()), .failed)
    }
}
