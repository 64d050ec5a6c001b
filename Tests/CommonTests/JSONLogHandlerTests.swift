import Common
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
}
