import XCTest
import TestSupport
import Foundation
import Logging
import HTTPClient
@testable import AWS

/// Client behaviour that needs a server but no AWS: pagination, Codable round trips
/// on the wire, multipart abort.
final class ClientBehaviourTests: XCTestCase {
    let credentials = StaticCredentialProvider(AWSCredentials(accessKeyId: "AKIDTEST", secretAccessKey: "secret"))

    struct Call: Codable, Equatable {
        var callSid: String
        var durationSeconds: Int
        var transcript: [String]
        enum CodingKeys: String, CodingKey {
            case callSid = "call_sid"
            case durationSeconds = "duration_seconds"
            case transcript
        }
    }

    func testQueryAllFollowsLastEvaluatedKeyAndDecodes() throws {
        let server = try TestHTTPServer { request, index in
            let body = (try? JSON.parse(request.body)) ?? .null
            if index == 0 {
                guard body["ExclusiveStartKey"] == nil, body["ScanIndexForward"] == .bool(false),
                      body["IndexName"] == .string("AgentRecipientIndex"), body["Limit"] == .number("1") else {
                    return .json(400, #"{"__type":"ValidationException","message":"unexpected first page request"}"#)
                }
                return .json(200, #"{"Items":[{"call_sid":{"S":"CA1"},"duration_seconds":{"N":"10"},"transcript":{"L":[{"S":"hi"}]}}],"Count":1,"ScannedCount":1,"LastEvaluatedKey":{"call_sid":{"S":"CA1"}}}"#)
            }
            guard body["ExclusiveStartKey"]?["call_sid"] == .object(["S": .string("CA1")]) else {
                return .json(400, #"{"__type":"ValidationException","message":"no start key"}"#)
            }
            return .json(200, #"{"Items":[{"call_sid":{"S":"CA2"},"duration_seconds":{"N":"20"},"transcript":{"L":[]}}],"Count":1,"ScannedCount":1}"#)
        }
        defer { server.stop() }
        let dynamo = DynamoDBClient(configuration: AWSConfiguration(region: "us-east-1", credentials: credentials, endpoint: server.baseURL))
        let calls = try dynamo.queryAll(Call.self, DynamoDBQuery(
            table: "VoiceAssistant_Calls", index: "AgentRecipientIndex", keyCondition: "agent_id = :a",
            values: [":a": "sales-001"], limit: 1, scanIndexForward: false))
        XCTAssertEqual(calls, [Call(callSid: "CA1", durationSeconds: 10, transcript: ["hi"]),
                               Call(callSid: "CA2", durationSeconds: 20, transcript: [])])
        XCTAssertEqual(server.requests.count, 2)
    }

    func testPutItemEncodesCodableValues() throws {
        let server = try TestHTTPServer { _, _ in .json(200, "{}") }
        defer { server.stop() }
        let dynamo = DynamoDBClient(configuration: AWSConfiguration(region: "us-east-1", credentials: credentials, endpoint: server.baseURL))
        try dynamo.putItem(table: "T", value: Call(callSid: "CA9", durationSeconds: 3, transcript: ["a"]),
                           condition: "attribute_not_exists(call_sid)")
        let body = try JSON.parse(server.requests[0].body)
        XCTAssertEqual(try AttributeValue.item(json: body["Item"]!),
                       ["call_sid": "CA9", "duration_seconds": 3, "transcript": ["a"]])
        XCTAssertEqual(body["TableName"], .string("T"))
    }

    func testFailedMultipartUploadIsAborted() throws {
        let server = try TestHTTPServer { request, _ in
            switch request.method {
            case "POST" where request.target.hasSuffix("?uploads"):
                return .init(status: 200, body: Array("<InitiateMultipartUploadResult><UploadId>UP-1</UploadId></InitiateMultipartUploadResult>".utf8))
            case "PUT" where request.target.contains("partNumber=1&"):
                return .init(status: 200, headers: [("ETag", "\"e1\"")])
            case "PUT":
                return .init(status: 400, body: Array("<Error><Code>InvalidPart</Code><Message>nope</Message></Error>".utf8))
            case "DELETE":
                return .init(status: 204)
            default:
                return .init(status: 500)
            }
        }
        defer { server.stop() }
        let path = NSTemporaryDirectory() + "mp-\(UUID().uuidString)"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(count: 11 << 20)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let s3 = S3Client(configuration: AWSConfiguration(region: "us-east-1", credentials: credentials, endpoint: server.baseURL),
                          multipartThreshold: 5 << 20, partSize: 5 << 20)
        XCTAssertThrowsError(try s3.putObject(bucket: "b", key: "k.wav", fileAt: path)) { error in
            guard case S3Error.other(400, "InvalidPart", "nope") = error else { return XCTFail("\(error)") }
        }
        let requests = server.requests
        XCTAssertEqual(requests.map(\.method), ["POST", "PUT", "PUT", "DELETE"])
        XCTAssertEqual(requests[0].headers["x-amz-server-side-encryption"], "AES256")
        XCTAssertEqual(requests[1].body.count, 5 << 20)
        XCTAssertEqual(requests[3].target, "/b/k.wav?uploadId=UP-1")
        XCTAssertEqual(requests[1].headers["x-amz-content-sha256"]?.count, 64, "plain HTTP: the part is hashed")
    }
}
