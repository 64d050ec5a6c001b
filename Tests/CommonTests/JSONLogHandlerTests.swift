@testable import Common
import Foundation
import Logging
import XCTest

final class JSONLogHandlerTests: XCTestCase {
    func testOneJSONObjectPerLineWithRedaction() throws {
        var pipeEnds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&pipeEnds), 0)
        let sink = LogSink(descriptor: pipeEnds[1])
        var logger = Logger(label: "t") { _ in JSONLogHandler(endpoint: "process-speech", level: .info, sink: sink) }
        logger[metadataKey: "request_id"] = "req-1"
        logger.info("turn \"answered\"\n", metadata: [
            "call_sid": "CA123", "auth_token": "s3cr3t", "nested": ["Authorization": "Bearer x", "n": "1"],
        ])
        logger.debug("not shown at info")
        close(pipeEnds[1])
        let output = FileHandle(fileDescriptor: pipeEnds[0]).readDataToEndOfFile()
        close(pipeEnds[0])
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.count, 1)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(object["endpoint"] as? String, "process-speech")
        XCTAssertEqual(object["request_id"] as? String, "req-1")
        XCTAssertEqual(object["message"] as? String, "turn \"answered\"\n")
        XCTAssertEqual(object["level"] as? String, "info")
        XCTAssertEqual(object["call_sid"] as? String, "CA123")
        XCTAssertEqual(object["auth_token"] as? String, "[redacted]")
        XCTAssertEqual((object["nested"] as? [String: String])?["Authorization"], "[redacted]")
        XCTAssertNotNil(object["time"] as? String)
        XCTAssertFalse(String(decoding: output, as: UTF8.self).contains("s3cr3t"))
    }

    func testTheLineIsExactJSONWithAnISOTimestamp() throws {
        var pipeEnds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&pipeEnds), 0)
        let sink = LogSink(descriptor: pipeEnds[1])
        let logger = Logger(label: "t") { _ in JSONLogHandler(endpoint: "worker", level: .info, sink: sink) }
        logger.warning("tab\there \u{1}é 👋 back\\slash", metadata: ["count": .stringConvertible(3), "zz": "\r"])
        close(pipeEnds[1])
        let text = String(decoding: FileHandle(fileDescriptor: pipeEnds[0]).readDataToEndOfFile(), as: UTF8.self)
        close(pipeEnds[0])
        let time = try XCTUnwrap(text.split(separator: "\"").dropFirst(3).first)
        XCTAssertNotNil(time.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/), String(time))
        XCTAssertEqual(text.replacingOccurrences(of: String(time), with: "T"), #"""
            {"time":"T","level":"warning","endpoint":"worker","message":"tab\there \u0001é 👋 back\\slash","count":3,"zz":"\r"}

            """#)
    }

    func testEveryControlCharacterIsEscaped() throws {
        var line: [UInt8] = []
        JSONLine.appendQuoted("a\u{00}\u{1F}\u{7F}\u{2028}b\"\\", to: &line)
        XCTAssertEqual(String(decoding: line, as: UTF8.self), #""a\u0000\u001f\#u{7F}\#u{2028}b\"\\""#)
        for scalar in 0..<0x20 {
            var quoted: [UInt8] = []
            JSONLine.appendQuoted(String(UnicodeScalar(UInt8(scalar))), to: &quoted)
            let decoded = try JSONSerialization.jsonObject(with: Data(quoted), options: .fragmentsAllowed) as? String
            XCTAssertEqual(decoded, String(UnicodeScalar(UInt8(scalar))), "U+\(String(scalar, radix: 16))")
        }
    }

    func testSecretLookingKeysAreFoundInAnyCase() {
        for key in ["auth_token", "TWILIO_AUTH_TOKEN", "x-api_key", "Authorization", "privy_verification_key", "pAsSwOrD1",
                    "TOKEN", "x_token", "SECRSECRET", "a_private"] {
            XCTAssertTrue(Secrets.isSecret(key), key)
        }
        for key in ["call_sid", "", "pass", "authorisation", "TOKE", "SECRE_T", "api-key"] {
            XCTAssertFalse(Secrets.isSecret(key), key)
        }
        XCTAssertTrue(Secrets.isSecret("paßword"), "uppercased as Unicode: PASSWORD")
    }
}
