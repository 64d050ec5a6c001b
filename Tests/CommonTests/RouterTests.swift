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

/// Admits `Bearer user:<name>` as <name>, and on a path with `{user_id}` only that user.
fileprivate struct UserCheck: RequestGuard {
    func check(_ request: Request) throws {
        _ = try admit(request, parameters: PathParameters([:]))
    }

    func admit(_ request: Request, parameters: PathParameters) throws -> String? {
        guard let token = request.bearerToken, token.hasPrefix("user:") else { throw HTTPError.unauthorized("no") }
        let user = String(token.dropFirst(5))
        if let owner = parameters.value("user_id"), owner != user { throw HTTPError.forbidden("not yours") }
        return user
    }
}

fileprivate struct Service: AccessControlled {
    func guardian(for access: Access) -> (any RequestGuard)? {
        switch access {
        case .open: nil
        case .operatorKey: KeyCheck()
        case .user: UserCheck()
        }
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
        router.on("GET", "/user/{user_id}/todos/{todo_id}", access: .user) { call, _ in
            Response(body: Array("\(call.user ?? "-") \(call.parameters["todo_id"])".utf8))
        }
        router.on("POST", "/chat", access: .user) { call, _ in Response(body: Array((call.user ?? "-").utf8)) }
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

    func testAUserRouteAdmitsTheTokensUserAndOnlyTheOwnerOfItsPath() throws {
        XCTAssertEqual(body(try send("GET", "/user/ann/todos/t1", key: "user:ann")), "ann t1")
        XCTAssertEqual(body(try send("POST", "/chat", key: "user:bob")), "bob")
        XCTAssertThrowsError(try send("GET", "/user/ann/todos/t1", key: "user:bob")) { error in
            XCTAssertEqual((error as? HTTPError)?.status, 403)
        }
        XCTAssertThrowsError(try send("GET", "/user/ann/todos/t1", key: "secret")) { error in
            XCTAssertEqual((error as? HTTPError)?.status, 401)
        }
        XCTAssertEqual(router.operations.filter { $0.access == .user }.map(\.pattern),
                       ["/user/{user_id}/todos/{todo_id}", "/chat"])
    }

    func testAWrongMethodIs405BeforeAnyCredentialIsAsked() {
        XCTAssertThrowsError(try send("PUT", "/chat", key: nil)) { error in
            XCTAssertEqual((error as? HTTPError)?.status, 405)
            XCTAssertEqual((error as? HTTPError)?.headers.first { $0.0 == "Allow" }?.1, "POST")
        }
    }

    func testTheOperationsListEveryRouteAsDeclared() {
        XCTAssertEqual(router.operations.map { "\($0.method) \($0.pattern)" }, [
            "GET /agents", "POST /agents", "GET /agents/{agent_id}", "DELETE /agents/{agent_id}", "GET /open",
            "GET /user/{user_id}/todos/{todo_id}", "POST /chat",
        ])
        XCTAssertEqual(router.operations[5].parameterNames, ["user_id", "todo_id"])
        XCTAssertEqual(router.operations[4].access, .open)
    }

    func testARefusalRefusesEveryRequest() {
        let refusal = Refusal(.unauthorized("no accounts here"))
        XCTAssertThrowsError(try refusal.admit(Request(method: "GET", rawPath: "/x",
                                                       headers: ["authorization": "Bearer secret"]),
                                               parameters: PathParameters([:]))) { error in
            XCTAssertEqual(error as? HTTPError, .unauthorized("no accounts here"))
        }
    }
}
