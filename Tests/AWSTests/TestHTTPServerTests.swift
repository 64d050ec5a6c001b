import XCTest
import TestSupport
import Logging
@testable import HTTPClient

/// The test server itself: a stopped server must never answer for the next one.
/// (Its accept thread once outlived `stop()` and accepted on a reused descriptor,
/// which made the concurrency test fail at random.)
final class TestHTTPServerTests: XCTestCase {
    func testAStoppedServerNeverAnswersForTheNextOne() throws {
        let client = HTTPClient(logger: Logger(label: "test"))
        var answeredByTheStoppedServer = 0
        for _ in 0..<200 {
            let stopped = try TestHTTPServer { _, _ in .init(status: 200, body: Array("stopped".utf8)) }
            stopped.stop()
            let live = try TestHTTPServer { _, _ in .init(status: 200, body: Array("live".utf8)) }
            defer { live.stop() }
            let response = try client.execute(HTTPRequest(method: "GET", url: live.baseURL + "/"))
            if response.body != Array("live".utf8) { answeredByTheStoppedServer += 1 }
        }
        XCTAssertEqual(answeredByTheStoppedServer, 0)
    }
}
