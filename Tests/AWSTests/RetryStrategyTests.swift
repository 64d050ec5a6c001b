import XCTest
@testable import AWS

final class RetryStrategyTests: XCTestCase {
    func testDelaysDoubleUpToTheCap() {
        let strategy = RetryStrategy(maxAttempts: 10, random: { 1.0 })
        XCTAssertEqual(strategy.delay(afterAttempt: 1), .seconds(1))
        XCTAssertEqual(strategy.delay(afterAttempt: 2), .seconds(2))
        XCTAssertEqual(strategy.delay(afterAttempt: 3), .seconds(4))
        XCTAssertEqual(strategy.delay(afterAttempt: 5), .seconds(16))
        XCTAssertEqual(strategy.delay(afterAttempt: 6), .seconds(20))
        XCTAssertEqual(strategy.delay(afterAttempt: 40), .seconds(20))
        let half = RetryStrategy(baseDelay: .milliseconds(100), random: { 0.5 })
        XCTAssertEqual(half.delay(afterAttempt: 2), .milliseconds(100))
    }

    func testAttemptLimit() {
        let strategy = RetryStrategy(random: { 0.5 })
        var quota = RetryQuota()
        let failure = RetryableFailure.service(status: 503, code: "ServiceUnavailable")
        XCTAssertEqual(strategy.decide(afterAttempt: 1, failure: failure, quota: &quota), .retry(after: .milliseconds(500), cost: 5))
        XCTAssertEqual(strategy.decide(afterAttempt: 2, failure: failure, quota: &quota), .retry(after: .seconds(1), cost: 5))
        XCTAssertEqual(strategy.decide(afterAttempt: 3, failure: failure, quota: &quota), .stop(.attemptsExhausted))
        XCTAssertEqual(quota.available, 490)
    }

    func testWhatIsRetried() {
        for status in [500, 502, 503, 504] {
            XCTAssertTrue(RetryStrategy.isRetryable(.service(status: status, code: "Whatever")))
        }
        for code in ["ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded", "SlowDown",
                     "TooManyRequestsException", "Throttling", "RequestThrottled"] {
            XCTAssertTrue(RetryStrategy.isRetryable(.service(status: 400, code: code)), code)
            XCTAssertTrue(RetryStrategy.isThrottling(.service(status: 400, code: code)), code)
        }
        XCTAssertTrue(RetryStrategy.isRetryable(.transport))
        XCTAssertTrue(RetryStrategy.isRetryable(.timeout))
        XCTAssertFalse(RetryStrategy.isRetryable(.service(status: 400, code: "ConditionalCheckFailedException")))
        XCTAssertFalse(RetryStrategy.isRetryable(.service(status: 400, code: "ValidationException")))
        XCTAssertFalse(RetryStrategy.isRetryable(.service(status: 403, code: "AccessDenied")))
        XCTAssertFalse(RetryStrategy.isRetryable(.service(status: 501, code: "NotImplemented")))
        var quota = RetryQuota()
        XCTAssertEqual(RetryStrategy().decide(afterAttempt: 1, failure: .service(status: 400, code: "ConditionalCheckFailedException"), quota: &quota),
                       .stop(.notRetryable))
        XCTAssertEqual(quota.available, 500)
    }

    func testQuotaCostsAndRefunds() {
        let strategy = RetryStrategy(maxAttempts: 1000, random: { 0 })
        var quota = RetryQuota()
        XCTAssertEqual(strategy.decide(afterAttempt: 1, failure: .timeout, quota: &quota), .retry(after: .zero, cost: 10))
        XCTAssertEqual(quota.available, 490)
        quota.release(afterRetryCosting: 10)
        XCTAssertEqual(quota.available, 500)
        quota.release(afterRetryCosting: nil)
        XCTAssertEqual(quota.available, 500, "never above capacity")
        // An outage drains the bucket: 100 retries of 5 tokens, then retries stop.
        var retries = 0
        while case .retry = strategy.decide(afterAttempt: 1, failure: .transport, quota: &quota) { retries += 1 }
        XCTAssertEqual(retries, 100)
        XCTAssertEqual(strategy.decide(afterAttempt: 1, failure: .transport, quota: &quota), .stop(.quotaExhausted))
        quota.release(afterRetryCosting: nil)
        XCTAssertEqual(quota.available, 1)
    }
}
