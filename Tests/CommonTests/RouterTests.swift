import Foundation
import Logging
import SessionDB
import XCTest
@testable import Common

fileprivate struct KeyCheck: RequestGuard {
    func check(_ request: Request) throws {
        guard request.bearerToken == "secret" else { throw HTTPError.unauthorized("no") }
    }
}

fileprivate struct Service: AccessControlled {
    func guardian(for access: Access) -> (any RequestGuard)? {
        access == .operatorKey ? KeyCheck() : nil
    }
}

final class RouterTests: XCTestCase {
    var directory = ""
    var context: RequestContext!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "router-\(UUID().uuidString)"
        let config = try AppConfig(environment: Environment(["VAR_DIR": directory]))
        var options = config.sessionDB
        options.directory = directory
        context = RequestContext(config: config, sessionDB: try SessionDB(options: options, databases: ["x"]),
                                 logger: Logger(label: "test"))
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    fileprivate var router: Router<Service> {
        var router = Router<Service>()
        router.on("GET", "/agents", access: .operatorKey) { _, _ in Response(body: Array("list".utf8)) }
        router.on("POST", "/agents", access: .operatorKey) { _, _ in Response(body: Array("create".utf8)) }
        router.on("GET", "/agents/{agent_id}", access: .operatorKey) { call, _ in Response(body: Array(("get " + call.parameters["agent_id"]).utf8)) }
        router.on("DELETE", "/agents/{agent_id}", access: .operatorKey) { call, _ in Response(body: Array(("delete " + call.parameters["agent_id"]).utf8)) }
        router.on("GET", "/open", access: .open) { _, _ in Response(body: Array("open".utf8)) }
        return router
    }

    func send(_ method: String, _ path: String, key: String? = "secret") throws -> Response {
        let headers = key.map { ["authorization": "Bearer \($0)"] } ?? [:]
        return try router.handle(Request(method: method, rawPath: path, headers: headers), context: context, service: Service())
    }

    func body(_ response: Response) -> String { String(decoding: response.body, as: UTF8.self) }

    func testMethodAndPatternChooseTheHandlerAndParametersArePercentDecoded() throws {
        XCTAssertEqual(body(try send("GET", "/agents")), "list")
        XCTAssertEqual(body(try send("POST", "/agents/")), "create")
        XCTAssertEqual(body(try send("GET", "/agents/sales%2D001")), "get sales-001")
        XCTAssertEqual(body(try send("DELETE", "/agents/x")), "delete x")
        XCTAssertEqual(body(try send("HEAD", "/agents")), "list")
    }

    func testAnUnknownPathIs404AndAnotherMethodIs405WithAllow() {
        XCTAssertThrowsError(try send("GET", "/agents/a/b")) { error in
            XCTAssertEqual((error as? HTTPError)?.status, 404)
        }
        XCTAssertThrowsError(try send("PUT", "/agents/a")) { error in
            let refusal = error as? HTTPError
            XCTAssertEqual(refusal?.status, 405)
            XCTAssertEqual(refusal?.headers.first { $0.0 == "Allow" }?.1, "DELETE, GET")
        }
    }

    func testTheRoutesAccessIsCheckedBeforeItsHandler() throws {
        XCTAssertThrowsError(try send("GET", "/agents", key: nil)) { error in
            XCTAssertEqual((error as? HTTPError)?.status, 401)
        }
        XCTAssertThrowsError(try send("GET", "/agents/x", key: "wrong")) { error in
            XCTAssertEqual((error as? HTTPError)?.status, 401)
        }
        XCTAssertEqual(body(try send("GET", "/open", key: nil)), "open")
    }
}
