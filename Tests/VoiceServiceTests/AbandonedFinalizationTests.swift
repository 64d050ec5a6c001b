import AWS
import Foundation
import SessionDB
import TestSupport
import Voice
import XCTest
@testable import VoiceService

/// The final write of a call as DynamoDB receives it: an `abandoned` ending is
/// our guess and never replaces the end Twilio reported. A loopback server
/// stands in for DynamoDB.
final class AbandonedFinalizationTests: XCTestCase {
    private var store: TemporarySessions!

    override func setUpWithError() throws {
        store = try TemporarySessions()
    }

    override func tearDown() {
        store = nil
    }

    private func calls(_ server: TestHTTPServer) -> CallStore {
        let credentials = StaticCredentialProvider(AWSCredentials(accessKeyId: "AKIDTEST", secretAccessKey: "secret"))
        let configuration = AWSConfiguration(region: "us-east-1", credentials: credentials, endpoint: server.baseURL,
                                             maxAttempts: 1)
        return CallStore(dynamo: DynamoDBClient(configuration: configuration), table: "VoiceAssistant_Calls")
    }

    private func body(_ request: TestHTTPServer.Request) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
    }

    private func operation(_ request: TestHTTPServer.Request) -> String {
        request.headers["x-amz-target"]?.replacingOccurrences(of: "DynamoDB_20120810.", with: "") ?? ""
    }

    private func ending(_ status: CallStatus) -> CallEnding {
        CallEnding(status: status, endedAt: Timestamp(Date(timeIntervalSince1970: 1_800_000_000)), durationSeconds: 42,
                   endedBy: status == .abandoned ? .systemTimeout : .user)
    }

    func testAnAbandonedEndingIsConditionalOnTheCallNotReportedOver() throws {
        let server = try TestHTTPServer { _, _ in .json(200, "{}") }
        defer { server.stop() }
        XCTAssertTrue(try calls(server).finalize(callSid: "CA1", session: nil, ending: ending(.abandoned),
                                                 fallbackParties: nil))
        let update = try body(XCTUnwrap(server.requests.first))
        XCTAssertEqual(update["ConditionExpression"] as? String, "attribute_not_exists(ended_at) OR #status = :status")
        XCTAssertEqual((update["ExpressionAttributeNames"] as? [String: String])?["#status"], "status")
        let values = try XCTUnwrap(update["ExpressionAttributeValues"] as? [String: [String: String]])
        XCTAssertEqual(values[":status"], ["S": "abandoned"])
    }

    func testTwilioStatusesAreWrittenWhateverTheRecordSays() throws {
        let server = try TestHTTPServer { _, _ in .json(200, "{}") }
        defer { server.stop() }
        for status in [CallStatus.completed, .busy, .failed, .noAnswer, .canceled] {
            XCTAssertTrue(try calls(server).finalize(callSid: "CA1", session: nil, ending: ending(status),
                                                     fallbackParties: nil))
        }
        XCTAssertEqual(server.requests.count, 5)
        for request in server.requests {
            XCTAssertNil(try body(request)["ConditionExpression"], "Twilio's word replaces an abandoned guess")
        }
    }

    /// The race the sweep can still lose: its finalization waited behind an
    /// outage while Twilio's `completed` arrived, was finalized and retired the
    /// session; the abandoned one, retried, finds the call ended.
    func testALateAbandonedFinalizationLeavesTheCallAsTwilioReportedIt() throws {
        // A record ended as `completed`: DynamoDB refuses a write conditioned on
        // it not being ended, and applies an unconditional one.
        let written = LockedStatuses()
        let server = try TestHTTPServer { request, _ in
            let update = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
            if request.headers["x-amz-target"] == "DynamoDB_20120810.GetItem" {
                return .json(200, #"{"Item":{"call_sid":{"S":"CA1"},"status":{"S":"\#(written.last ?? "completed")"},"#
                    + #""ended_at":{"S":"2027-01-15T08:00:00Z"},"agent_id":{"S":"default"},"#
                    + #""recipient_phone":{"S":"+15550100123"},"caller_phone":{"S":"+15550100999"},"#
                    + #""direction":{"S":"outbound"},"started_at":{"S":"2027-01-15T07:45:00Z"}}}"#)
            }
            guard update["ConditionExpression"] == nil else {
                return .json(400, #"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","#
                    + #""message":"The conditional request failed"}"#)
            }
            let values = update["ExpressionAttributeValues"] as? [String: [String: String]]
            written.append(values?[":status"]?["S"] ?? "?")
            return .json(200, "{}")
        }
        defer { server.stop() }
        let runner = JobRunner(sessions: store.sessions, calls: calls(server), archiver: nil,
                               archived: try ArchivedRecordings(database: store.database, name: "archived_recordings"),
                               logger: LogRecorder().logger)
        var job = VoiceJob.make(VoiceJob.finalize, callSid: "CA1", payload: [
            "status": "abandoned", "received_at": "1800000000",
        ])
        job.attempts = 1
        XCTAssertNoThrow(try runner.perform(job), "done: not retried until the end of time")
        XCTAssertEqual(written.all, [], "the record still says completed")
        XCTAssertEqual(server.requests.map(operation), ["UpdateItem"])
        XCTAssertTrue(try store.jobs.isEmpty, "no recording or analysis job for a call it did not finalize")
    }
}

/// The statuses the stand-in DynamoDB applied, in order.
private final class LockedStatuses: @unchecked Sendable {
    // @unchecked: `values` is guarded by `lock`.
    private let lock = NSLock()
    private var values: [String] = []

    func append(_ status: String) { lock.withLock { values.append(status) } }
    var all: [String] { lock.withLock { values } }
    var last: String? { all.last }
}
