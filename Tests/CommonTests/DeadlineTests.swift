import Common
import XCTest

/// A request's deadline counts from nginx's arrival time, so time spent queued is spent.
final class DeadlineTests: XCTestCase {
    private let wall = 1_800_000_000.0
    private let start = ContinuousClock.now

    func testTimeSpentQueuedIsTakenFromTheLimit() {
        let deadline = Deadline.after(.seconds(2), receivedAt: wall - 0.5, wallClock: wall, now: start)
        XCTAssertEqual(deadline.instant, start + .milliseconds(1500))
    }

    func testWithoutAnArrivalTimeTheLimitCountsFromNow() {
        XCTAssertEqual(Deadline.after(.seconds(2), receivedAt: nil, wallClock: wall, now: start).instant,
                       start + .seconds(2))
    }

    func testAnArrivalInTheFutureCountsAsNoWaitNotAsMoreTime() {
        XCTAssertEqual(Deadline.after(.seconds(2), receivedAt: wall + 5, wallClock: wall, now: start).instant,
                       start + .seconds(2))
    }

    func testARequestQueuedPastItsDeadlineHasNoTimeLeft() {
        let deadline = Deadline.after(.seconds(2), receivedAt: Date().timeIntervalSince1970 - 3)
        XCTAssertTrue(deadline.hasPassed)
        XCTAssertEqual(deadline.remaining, .zero)
    }

    func testABudgetNeverOutlastsTheDeadline() {
        let near = Deadline(.now + .milliseconds(50))
        XCTAssertEqual(near.capping(.seconds(10)), near.instant)
        let far = Deadline(.now + .seconds(60))
        let capped = far.capping(.milliseconds(300))
        XCTAssertLessThan(capped, far.instant)
        XCTAssertLessThanOrEqual(capped, .now + .milliseconds(300))
    }
}
