import Common
import CryptoCore
import Foundation
import Logging
import SessionDB
import XCTest
@testable import RemoService

/// The chat assistant's routes: a Privy token is checked before any handler,
/// a path's `{user_id}` must be the token's user, and nothing here reaches
/// DynamoDB (every request is refused before a store is asked).
final class RemoRoutesTests: XCTestCase {
    private var directory = ""
    private var key: ECDSAP256.PrivateKey!
    private let appId = "cm-unit-app"

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("remo-routes-\(UUID().uuidString)").path
        key = try ECDSAP256.PrivateKey()
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func runtime(privy: Bool) throws -> (RemoRuntime, RequestContext) {
        var environment = ["VAR_DIR": directory, "AWS_ACCESS_KEY_ID": "unit", "AWS_SECRET_ACCESS_KEY": "unit",
                           "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:9"]
        if privy {
            environment["PRIVY_APP_ID"] = appId
            environment["PRIVY_VERIFICATION_KEY"] = try key.publicKey.pemRepresentation
        }
        let config = try AppConfig(environment: Environment(environment))
        var options = config.sessionDB
        options.directory = directory
        let context = RequestContext(config: config, sessionDB: try SessionDB(options: options, databases: SessionDBLayout.databases),
                                     logger: Logger(label: "test"))
        return (try RemoRuntime(context: context), context)
    }

    private func token(for user: String) throws -> String {
        let now = Int(Date().timeIntervalSince1970)
        let claims: [String: Any] = ["sub": user, "aud": appId, "iss": "privy.io", "iat": now, "exp": now + 600]
        func part(_ object: [String: Any]) throws -> String {
            Base64.encodeURL(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
        }
        let signingInput = try part(["alg": "ES256", "typ": "JWT"]) + "." + part(claims)
        return signingInput + "." + Base64.encodeURL(try key.signature(for: Array(signingInput.utf8)))
    }

    private func refusal(_ routes: Router<RemoRuntime>, _ method: String, _ path: String, as user: String?,
                         privy: Bool = true) throws -> HTTPError? {
        let (remo, context) = try runtime(privy: privy)
        let headers = try user.map { ["authorization": "Bearer \(try token(for: $0))"] } ?? [:]
        do {
            _ = try routes.handle(Request(method: method, rawPath: path, headers: headers), context: context, service: remo)
            return nil
        } catch let error as HTTPError {
            return error
        }
    }

    func testEveryRouteIsAUsersAndEveryPathWithAUserNamesIt() {
        let all = [RemoRuntime.chatRoutes, RemoRuntime.userDataRoutes, RemoRuntime.reminderRoutes, RemoRuntime.todoRoutes]
            .flatMap(\.operations)
        XCTAssertEqual(all.count, 16)
        for operation in all {
            XCTAssertEqual(operation.access, .user, "\(operation.method) \(operation.pattern)")
            XCTAssertEqual(operation.pattern == "/chat", operation.parameterNames.isEmpty)
        }
    }

    func testAnotherUsersPathIs403AndAPathThatNamesNoUserIs400() throws {
        XCTAssertEqual(try refusal(RemoRuntime.todoRoutes, "GET", "/user/did:privy:bob/todos", as: "did:privy:ann")?.status, 403)
        XCTAssertEqual(try refusal(RemoRuntime.reminderRoutes, "DELETE", "/user/did:privy:bob/reminders/rem_1",
                                   as: "did:privy:ann")?.status, 403)
        XCTAssertEqual(try refusal(RemoRuntime.userDataRoutes, "GET", "/user/%20/data", as: "did:privy:ann")?.status, 400)
        XCTAssertEqual(try refusal(RemoRuntime.todoRoutes, "GET", "/user/did:privy:ann/todos/bad%20id",
                                   as: "did:privy:ann")?.status, 400)
    }

    func testNoTokenIs401AndAnUnconfiguredAssistantIs503() throws {
        let missing = try refusal(RemoRuntime.userDataRoutes, "GET", "/user/did:privy:ann/data", as: nil)
        XCTAssertEqual(missing?.status, 401)
        XCTAssertEqual(missing?.headers.first { $0.0 == "WWW-Authenticate" }?.1, "Bearer")
        let unconfigured = try refusal(RemoRuntime.chatRoutes, "POST", "/chat", as: "did:privy:ann", privy: false)
        XCTAssertEqual(unconfigured?.status, 503)
        XCTAssertTrue(unconfigured?.detail.contains("PRIVY_VERIFICATION_KEY") ?? false)
    }

    func testAWrongMethodIs405NamingTheAllowedOnes() throws {
        let cases: [(Router<RemoRuntime>, String, String, String)] = [
            (RemoRuntime.chatRoutes, "GET", "/chat", "POST"),
            (RemoRuntime.userDataRoutes, "POST", "/user/u/data", "DELETE, GET"),
            (RemoRuntime.userDataRoutes, "DELETE", "/user/u/preferences", "GET, POST, PUT"),
            (RemoRuntime.reminderRoutes, "PUT", "/user/u/reminders", "GET, POST"),
            (RemoRuntime.todoRoutes, "POST", "/user/u/todos/t", "DELETE, GET, PATCH"),
        ]
        for (routes, method, path, allowed) in cases {
            let error = try refusal(routes, method, path, as: "u")
            XCTAssertEqual(error?.status, 405, path)
            XCTAssertEqual(error?.headers.first { $0.0 == "Allow" }?.1, allowed, path)
        }
    }
}
