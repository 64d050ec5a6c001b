import AWS
import XCTest

final class AWSRequestOutcomeTests: XCTestCase {
    func testOutcomesOfResponses() {
        XCTAssertEqual(AWSRequestOutcome.of(status: 200, code: nil), .ok)
        XCTAssertEqual(AWSRequestOutcome.of(status: 204, code: nil), .ok)
        XCTAssertEqual(AWSRequestOutcome.of(status: 400, code: "ProvisionedThroughputExceededException"), .throttled)
        XCTAssertEqual(AWSRequestOutcome.of(status: 503, code: "SlowDown"), .throttled, "S3 throttles with a 503")
        XCTAssertEqual(AWSRequestOutcome.of(status: 429, code: nil), .throttled)
        XCTAssertEqual(AWSRequestOutcome.of(status: 400, code: "ConditionalCheckFailedException"), .conditionalFailed)
        XCTAssertEqual(AWSRequestOutcome.of(status: 412, code: "PreconditionFailed"), .conditionalFailed)
        XCTAssertEqual(AWSRequestOutcome.of(status: 400, code: "ValidationException"), .clientError)
        XCTAssertEqual(AWSRequestOutcome.of(status: 403, code: "AccessDenied"), .clientError)
        XCTAssertEqual(AWSRequestOutcome.of(status: 500, code: "InternalServerError"), .serverError)
        XCTAssertEqual(AWSRequestOutcome.of(status: 502, code: nil), .serverError)
    }
}
