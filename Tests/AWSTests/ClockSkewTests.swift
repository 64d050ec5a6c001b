import Foundation
import Logging
import HTTPClient
import XCTest
import TestSupport
@testable import AWS

/// Signing with AWS's time once a request is refused for a skewed clock.
final class ClockSkewTests: XCTestCase {
    func testParsesTheHTTPDateForm() throws {
        let date = try XCTUnwrap(AMZDate.parseHTTPDate("Sat, 28 Nov 2026 05:20:07 GMT"))
        XCTAssertEqual(date.timeIntervalSince1970, 1_795_843_207)
        XCTAssertNil(AMZDate.parseHTTPDate("Sat, 31 Nov 2026 05:20:07 GMT"))
        XCTAssertNil(AMZDate.parseHTTPDate("2026-11-28T05:20:07Z"))
        XCTAssertNil(AMZDate.parseHTTPDate("Sat, 28 Nov 2026 05:20:07 CET"))
    }

    func testLearnsOnlyFromASigningTimeRefusalWithAFarOffDate() {
        let local = Date(timeIntervalSince1970: 1_795_843_207)
        let hourAhead = "Sat, 28 Nov 2026 06:20:07 GMT"
        var skew = ClockSkew()
        XCTAssertFalse(skew.learn(code: "ValidationException", serverDate: hourAhead, localNow: local))
        XCTAssertFalse(skew.learn(code: "InvalidSignatureException", serverDate: nil, localNow: local))
        // A real signature error from a server whose clock agrees with ours is not skew.
        XCTAssertFalse(skew.learn(code: "SignatureDoesNotMatch", serverDate: "Sat, 28 Nov 2026 05:21:00 GMT", localNow: local))
        XCTAssertEqual(skew.offset, 0)
        XCTAssertTrue(skew.learn(code: "RequestTimeTooSkewed", serverDate: hourAhead, localNow: local))
        XCTAssertEqual(skew.offset, 3600)
        XCTAssertEqual(skew.correcting(local).timeIntervalSince1970, 1_795_846_807)
        // Once corrected, the same answer teaches nothing new.
        XCTAssertFalse(skew.learn(code: "RequestTimeTooSkewed", serverDate: hourAhead, localNow: local))
    }

    /// A server an hour ahead of us refuses signatures more than 5 minutes off
    /// its clock, as DynamoDB does.
    func testAClientWithASkewedClockSignsWithTheServersTime() throws {
        let serverLead: TimeInterval = 3600
        let server = try TestHTTPServer { request, _ in
            let serverNow = Date().addingTimeInterval(serverLead)
            let signedAt = request.headers["x-amz-date"].flatMap(Self.parseAMZDate)
            guard let signedAt, abs(signedAt.timeIntervalSince(serverNow)) < 300 else {
                var refusal = TestHTTPServer.Response.json(400, #"{"__type":"com.amazon.coral.service#InvalidSignatureException","message":"Signature expired"}"#)
                refusal.headers.append(("Date", Self.httpDate(serverNow)))
                return refusal
            }
            return .json(200, #"{"Item":{"id":{"S":"a"}}}"#)
        }
        defer { server.stop() }
        let configuration = AWSConfiguration(
            region: "us-east-1", credentials: StaticCredentialProvider(AWSCredentials(accessKeyId: "AKIDTEST", secretAccessKey: "secret")),
            endpoint: server.baseURL)
        let executor = AWSRequestExecutor(configuration: configuration, signingName: "dynamodb",
                                          http: HTTPClient(logger: Logger(label: "test")), logger: Logger(label: "test"),
                                          sleep: { _ in XCTFail("a skew correction does not back off") })
        let dynamo = DynamoDBClient(endpoint: server.baseURL, executor: executor, logger: Logger(label: "test"))

        XCTAssertEqual(try dynamo.getItem(table: "T", key: ["id": "a"]), ["id": "a"])
        XCTAssertEqual(server.requests.count, 2, "refused once, then accepted")
        XCTAssertEqual(executor.clockOffset, serverLead, accuracy: 5)
        XCTAssertEqual(try dynamo.getItem(table: "T", key: ["id": "a"]), ["id": "a"])
        XCTAssertEqual(server.requests.count, 3, "later requests are signed right the first time")
    }

    /// `20261128T052007Z` as a date, by the ISO 8601 parser.
    private static func parseAMZDate(_ text: String) -> Date? {
        let c = Array(text)
        guard c.count == 16 else { return nil }
        return AMZDate.parseISO8601("\(String(c[0..<4]))-\(String(c[4..<6]))-\(String(c[6..<8]))T"
                                    + "\(String(c[9..<11])):\(String(c[11..<13])):\(String(c[13..<15]))Z")
    }

    private static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}
