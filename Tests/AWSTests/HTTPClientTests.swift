import XCTest
import TestSupport
import Foundation
import Logging
@testable import HTTPClient

final class HTTPClientTests: XCTestCase {
    let client = HTTPClient(logger: Logger(label: "test"))

    func temporaryPath() -> String { NSTemporaryDirectory() + "httpclient-\(UUID().uuidString)" }

    func testMemoryRoundTripWithHeaders() throws {
        let server = try TestHTTPServer { request, _ in
            .init(status: 201, headers: [("X-Echo-Method", request.method), ("X-Multi", "a"), ("x-multi", "b")], body: request.body)
        }
        defer { server.stop() }
        let response = try client.execute(HTTPRequest(method: "POST", url: server.baseURL + "/echo?q=1",
                                                      headers: [("X-Test", "yes")], body: .bytes(Array("hello".utf8))))
        XCTAssertEqual(response.status, 201)
        XCTAssertEqual(response.body, Array("hello".utf8))
        XCTAssertEqual(response.header("x-echo-method"), "POST")
        XCTAssertEqual(response.headers.filter { $0.name.lowercased() == "x-multi" }.map(\.value), ["a", "b"])
        let seen = server.requests[0]
        XCTAssertEqual(seen.target, "/echo?q=1")
        XCTAssertEqual(seen.headers["x-test"], "yes")
        XCTAssertEqual(seen.headers["content-length"], "5")
        XCTAssertNil(seen.headers["expect"])
    }

    func testMethodsWithoutBodies() throws {
        let server = try TestHTTPServer { request, _ in .init(status: 200, body: Array(request.method.utf8)) }
        defer { server.stop() }
        for method in ["GET", "DELETE", "PUT", "POST"] {
            let response = try client.execute(HTTPRequest(method: method, url: server.baseURL + "/"))
            XCTAssertEqual(String(decoding: response.body, as: UTF8.self), method)
        }
        let head = try client.execute(HTTPRequest(method: "HEAD", url: server.baseURL + "/"))
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(server.requests.map(\.method), ["GET", "DELETE", "PUT", "POST", "HEAD"])
        XCTAssertEqual(server.requests[2].headers["content-length"], "0")
    }

    func testFileBodyRangeAndFileDestination() throws {
        let source = temporaryPath()
        let destination = temporaryPath()
        defer {
            try? FileManager.default.removeItem(atPath: source)
            try? FileManager.default.removeItem(atPath: destination)
        }
        let content = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        XCTAssertTrue(FileManager.default.createFile(atPath: source, contents: Data(content)))
        let server = try TestHTTPServer { request, _ in .init(status: 200, body: request.body) }
        defer { server.stop() }
        let response = try client.execute(
            HTTPRequest(method: "PUT", url: server.baseURL + "/f", body: .file(path: source, offset: 1000, length: 200_000)),
            responseBodyTo: .file(path: destination))
        XCTAssertTrue(response.bodyWrittenToFile)
        XCTAssertTrue(response.body.isEmpty)
        XCTAssertEqual(response.bodyLength, 200_000)
        XCTAssertEqual(server.requests[0].body, Array(content[1000..<201_000]))
        XCTAssertEqual(FileManager.default.contents(atPath: destination).map(Array.init), Array(content[1000..<201_000]))
    }

    func testErrorStatusBodyStaysInMemory() throws {
        let destination = temporaryPath()
        let server = try TestHTTPServer { _, _ in .init(status: 404, body: Array("<Error/>".utf8)) }
        defer { server.stop() }
        let response = try client.execute(HTTPRequest(method: "GET", url: server.baseURL + "/missing"),
                                          responseBodyTo: .file(path: destination))
        XCTAssertEqual(response.status, 404)
        XCTAssertEqual(response.body, Array("<Error/>".utf8))
        XCTAssertFalse(FileManager.default.fileExists(atPath: destination))
    }

    func testTimeoutIsReportedAsTimeout() throws {
        let server = try TestHTTPServer { _, _ in .init(status: 200, hang: true) }
        defer { server.stop() }
        XCTAssertThrowsError(try client.execute(HTTPRequest(method: "GET", url: server.baseURL + "/", timeout: .milliseconds(200)))) { error in
            XCTAssertEqual((error as? HTTPClientError)?.kind, .timeout)
        }
    }

    func testRefusedConnectionIsTransport() throws {
        // Bind then close a server to get a port nobody listens on.
        let server = try TestHTTPServer { _, _ in .init(status: 200) }
        let url = server.baseURL + "/"
        server.stop()
        XCTAssertThrowsError(try client.execute(HTTPRequest(method: "GET", url: url))) { error in
            XCTAssertEqual((error as? HTTPClientError)?.kind, .transport)
        }
    }

    func testMissingBodyFileIsLocalFileError() {
        XCTAssertThrowsError(try client.execute(HTTPRequest(method: "PUT", url: "http://127.0.0.1:9/",
                                                            body: .file(path: "/nonexistent/x", offset: 0, length: 1)))) { error in
            XCTAssertEqual((error as? HTTPClientError)?.kind, .localFile)
        }
    }

    func testThreadsUseTheirOwnHandles() throws {
        let server = try TestHTTPServer { request, _ in .init(status: 200, body: request.body) }
        defer { server.stop() }
        let client = self.client
        let url = server.baseURL
        let failures = LockedCounter()
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            for round in 0..<5 {
                let body = Array("\(index)-\(round)".utf8)
                do {
                    let response = try client.execute(HTTPRequest(method: "POST", url: url + "/", body: .bytes(body)))
                    if response.body != body { failures.record("thread \(index): a body that was not its own") }
                } catch {
                    failures.record("thread \(index): \(error)")
                }
            }
        }
        XCTAssertEqual(failures.value, 0, failures.reasons.prefix(3).joined(separator: "; "))
        XCTAssertEqual(server.requests.count, 40)
    }
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private var notes: [String] = []
    /// Counts a failure and keeps why, for the assertion message.
    func record(_ reason: String) { lock.withLock { count += 1; notes.append(reason) } }
    var value: Int { lock.withLock { count } }
    var reasons: [String] { lock.withLock { notes } }
}
