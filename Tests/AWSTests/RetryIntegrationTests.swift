import XCTest
import TestSupport
import Foundation
import Logging
import HTTPClient
@testable import AWS

/// The executor against a local server: attempts, delays, quota and error kinds.
final class RetryIntegrationTests: XCTestCase {
    let credentials = StaticCredentialProvider(AWSCredentials(accessKeyId: "AKIDTEST", secretAccessKey: "secret"))

    final class DelayLog: @unchecked Sendable {
        private let lock = NSLock()
        private var delays: [Duration] = []
        func record(_ delay: Duration) { lock.withLock { delays.append(delay) } }
        var all: [Duration] { lock.withLock { delays } }
    }

    /// A client whose backoff is `random × min(100 ms × 2^(n-1), 20 s)` with random = 1,
    /// so delays are 100 ms then 200 ms: recorded, not slept, so the tests check
    /// the waits the executor chose instead of timing the requests.
    func client(_ server: TestHTTPServer, log: DelayLog) -> DynamoDBClient {
        let configuration = AWSConfiguration(region: "us-east-1", credentials: credentials, endpoint: server.baseURL)
        let executor = AWSRequestExecutor(
            configuration: configuration, signingName: "dynamodb", http: HTTPClient(logger: Logger(label: "test")),
            logger: Logger(label: "test"), strategy: RetryStrategy(baseDelay: .milliseconds(100), random: { 1.0 }),
            sleep: { delay in log.record(delay) })
        return DynamoDBClient(endpoint: server.baseURL, executor: executor, logger: Logger(label: "test"))
    }

    func testTwoServerErrorsThenSuccess() throws {
        let server = try TestHTTPServer { _, index in
            index < 2 ? .json(500, #"{"__type":"InternalServerError","message":"boom"}"#)
                      : .json(200, #"{"Item":{"id":{"S":"a"}}}"#)
        }
        defer { server.stop() }
        let log = DelayLog()
        let dynamo = client(server, log: log)
        let item = try dynamo.getItem(table: "T", key: ["id": "a"])
        XCTAssertEqual(item, ["id": "a"])
        let requests = server.requests
        XCTAssertEqual(requests.count, 3)
        XCTAssertEqual(log.all, [.milliseconds(100), .milliseconds(200)], "a wait before each retry, doubling")
        XCTAssertEqual(requests[0].headers["x-amz-target"], "DynamoDB_20120810.GetItem")
        XCTAssertEqual(requests[0].headers["content-type"], "application/x-amz-json-1.0")
        XCTAssertTrue(requests[0].headers["authorization"]?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDTEST/") ?? false)
        // Each attempt is signed afresh.
        XCTAssertNotNil(requests[2].headers["x-amz-date"])
        XCTAssertEqual(dynamo.executor.availableRetryQuota, 500 - 5 - 5 + 5)
    }

    func testThrottlingForeverStopsAfterThreeAttempts() throws {
        let server = try TestHTTPServer { _, _ in
            .json(400, #"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"slow down"}"#)
        }
        defer { server.stop() }
        let log = DelayLog()
        XCTAssertThrowsError(try client(server, log: log).putItem(table: "T", item: ["id": "a"])) { error in
            guard case DynamoDBError.throttling(let code, let message) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(code, "ProvisionedThroughputExceededException")
            XCTAssertEqual(message, "slow down")
        }
        XCTAssertEqual(server.requests.count, 3)
        XCTAssertEqual(log.all, [.milliseconds(100), .milliseconds(200)])
    }

    func testConditionalCheckFailureIsNotRetried() throws {
        let server = try TestHTTPServer { _, _ in
            .json(400, #"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}"#)
        }
        defer { server.stop() }
        let log = DelayLog()
        XCTAssertThrowsError(try client(server, log: log).putItem(table: "T", item: ["id": "a"], condition: "attribute_not_exists(id)")) { error in
            XCTAssertTrue((error as? DynamoDBError)?.isConditionalCheckFailed ?? false, "\(error)")
        }
        XCTAssertEqual(server.requests.count, 1)
        XCTAssertEqual(log.all, [], "no wait either")
        let body = try JSON.parse(server.requests[0].body)
        XCTAssertEqual(body["ConditionExpression"], .string("attribute_not_exists(id)"))
    }

    func testDeadlineStopsAHangingCall() throws {
        let server = try TestHTTPServer { _, _ in .init(status: 200, hang: true) }
        defer { server.stop() }
        let log = DelayLog()
        XCTAssertThrowsError(try client(server, log: log).getItem(table: "T", key: ["id": "a"], options: .within(.milliseconds(300)))) { error in
            switch error {
            case DynamoDBError.transport(let http): XCTAssertEqual(http.kind, .timeout)
            case DynamoDBError.deadlineExceeded: break
            default: XCTFail("\(error)")
            }
        }
        // The attempt took the whole budget, so a retry's 100 ms wait would
        // overrun it: the executor gives up instead of waiting, or retrying.
        XCTAssertEqual(log.all, [], "no backoff past the deadline")
        XCTAssertEqual(server.requests.count, 1)
    }

    func testBatchWriteResendsUnprocessedItems() throws {
        let server = try TestHTTPServer { request, index in
            if index == 0 {
                // Keep one write unprocessed the first time.
                return .json(200, #"{"UnprocessedItems":{"T":[{"PutRequest":{"Item":{"id":{"S":"b"}}}}]}}"#)
            }
            return .json(200, #"{"UnprocessedItems":{}}"#)
        }
        defer { server.stop() }
        let log = DelayLog()
        try client(server, log: log).batchWriteItem(["T": [.put(item: ["id": "a"]), .put(item: ["id": "b"])]])
        XCTAssertEqual(server.requests.count, 2)
        let second = try JSON.parse(server.requests[1].body)
        XCTAssertEqual(second["RequestItems"]?["T"]?.array?.count, 1)
        XCTAssertEqual(log.all, [.milliseconds(100)], "the unprocessed write waits its backoff")
    }
}
