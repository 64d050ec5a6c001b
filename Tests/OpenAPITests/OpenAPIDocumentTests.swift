import Common
import Foundation
import RemoService
import VoiceService
import XCTest

/// `docs/openapi.json` (served at `GET /openapi.json`) against the routes the
/// endpoints really have: every operation of every Router is in the document
/// with its path parameters and its security, and the document has nothing else
/// but the few operations served outside a Router, named here with the reason.
final class OpenAPIDocumentTests: XCTestCase {
    /// Every Router, by the executable whose `main.swift` runs it.
    static let routers: [(endpoint: String, table: String, operations: [RouteOperation])] = [
        ("agents", "VoiceRuntime.agentRoutes", VoiceRuntime.agentRoutes.operations),
        ("phone-numbers", "VoiceRuntime.phoneNumberRoutes", VoiceRuntime.phoneNumberRoutes.operations),
        ("calls", "VoiceRuntime.callRoutes", VoiceRuntime.callRoutes.operations),
        ("sessions", "VoiceRuntime.sessionRoutes", VoiceRuntime.sessionRoutes.operations),
        ("make-call", "VoiceRuntime.makeCallRoutes", VoiceRuntime.makeCallRoutes.operations),
        ("analytics", "VoiceRuntime.analyticsRoutes", VoiceRuntime.analyticsRoutes.operations),
        ("interrupt-call", "VoiceRuntime.interruptRoutes", VoiceRuntime.interruptRoutes.operations),
        ("metrics", "MetricsRuntime.routes", MetricsRuntime.routes.operations),
        ("chat", "RemoRuntime.chatRoutes", RemoRuntime.chatRoutes.operations),
        ("user-data", "RemoRuntime.userDataRoutes", RemoRuntime.userDataRoutes.operations),
        ("user-reminders", "RemoRuntime.reminderRoutes", RemoRuntime.reminderRoutes.operations),
        ("user-todos", "RemoRuntime.todoRoutes", RemoRuntime.todoRoutes.operations),
    ]

    /// Documented operations that no Router serves, and who serves them.
    static let servedOutsideRouters: [String: (access: Access, by: String)] = [
        "GET /health": (.open, "the health executable, one plain handler"),
        "GET /ping": (.open, "nginx itself (nginx/nginx.conf.template)"),
        "GET /openapi.json": (.open, "nginx, the file docs/openapi.json"),
    ]

    /// Documented operations of branches not merged here yet (their contracts
    /// were given before their code). Each must leave this list when its Router
    /// arrives: the test fails once one is served by a Router.
    static let awaitingMerge: [String: Access] = [:]

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    struct DocumentedOperation {
        let method: String
        let path: String
        let object: [String: Any]
        let pathItem: [String: Any]

        var name: String { "\(method) \(path)" }
    }

    private func document() throws -> [String: Any] {
        let data = try Data(contentsOf: Self.root.appendingPathComponent("docs/openapi.json"))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private func operations(_ document: [String: Any]) throws -> [String: DocumentedOperation] {
        let paths = try XCTUnwrap(document["paths"] as? [String: [String: Any]])
        var found: [String: DocumentedOperation] = [:]
        for (path, item) in paths {
            for method in Self.methods {
                guard let object = item[method] as? [String: Any] else { continue }
                let operation = DocumentedOperation(method: method.uppercased(), path: path, object: object, pathItem: item)
                found[operation.name] = operation
            }
        }
        return found
    }

    private var routed: [String: RouteOperation] {
        var all: [String: RouteOperation] = [:]
        for router in Self.routers {
            for operation in router.operations {
                XCTAssertNil(all[operation.description], "\(operation) is on two routers")
                all[operation.description] = operation
            }
        }
        return all
    }

    func testTheDocumentHasExactlyTheOperationsTheStackServes() throws {
        let documented = Set(try operations(try document()).keys)
        let routed = Set(self.routed.keys)
        let outside = Set(Self.servedOutsideRouters.keys)
        let awaiting = Set(Self.awaitingMerge.keys)
        XCTAssertEqual(routed.subtracting(documented).sorted(), [], "routes the document does not describe")
        XCTAssertEqual(documented.subtracting(routed).subtracting(outside).subtracting(awaiting).sorted(), [],
                       "documented operations that no route serves")
        XCTAssertEqual(outside.union(awaiting).subtracting(documented).sorted(), [],
                       "operations this test names that the document does not have")
        XCTAssertEqual(awaiting.intersection(routed).sorted(), [],
                       "served by a Router now: remove them from awaitingMerge")
        XCTAssertEqual(outside.intersection(routed).sorted(), [],
                       "served by a Router now: remove them from servedOutsideRouters")
    }

    /// A new endpoint on a Router this test does not list would escape the
    /// comparison: every `routes:` an endpoint passes to `Endpoint.run` must be listed.
    func testEveryRouterAnEndpointRunsIsListedHere() throws {
        let handlers = Self.root.appendingPathComponent("Sources/Handlers")
        var used: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: handlers.path) {
            let main = handlers.appendingPathComponent(name).appendingPathComponent("main.swift")
            guard let text = try? String(contentsOf: main, encoding: .utf8) else { continue }
            for match in text.matches(of: /routes:\s*([A-Za-z]+\.[A-Za-z]+)/) {
                used[name] = String(match.output.1)
            }
        }
        let listed = Dictionary(uniqueKeysWithValues: Self.routers.map { ($0.endpoint, $0.table) })
        XCTAssertEqual(used, listed, "an endpoint's Router and this test's list differ")
    }

    func testEachOperationDeclaresItsPathParametersAndItsSecurity() throws {
        let document = try document()
        let schemes = try XCTUnwrap((document["components"] as? [String: Any])?["securitySchemes"] as? [String: Any])
        XCTAssertEqual(Set(schemes.keys), ["apiKey", "privyToken"])
        var access: [String: Access] = routed.mapValues(\.access)
        for (name, outside) in Self.servedOutsideRouters { access[name] = outside.access }
        for (name, expected) in Self.awaitingMerge { access[name] = expected }
        for (name, operation) in try operations(document) {
            let parameters = ((operation.pathItem["parameters"] as? [[String: Any]]) ?? [])
                + ((operation.object["parameters"] as? [[String: Any]]) ?? [])
            let inPath = Set(parameters.filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String })
            let templated = Set(operation.path.matches(of: /\{([a-z_]+)\}/).map { String($0.output.1) })
            XCTAssertEqual(inPath, templated, "\(name): path parameters")
            if let route = routed[name] {
                XCTAssertEqual(Set(route.parameterNames), templated, "\(name): the route's parameters")
            }
            let security = (operation.object["security"] ?? document["security"]) as? [[String: [String]]] ?? []
            let schemesUsed = Set(security.flatMap(\.keys))
            switch access[name] {
            case .open?: XCTAssertEqual(schemesUsed, [], "\(name) is open")
            case .operatorKey?: XCTAssertEqual(schemesUsed, ["apiKey"], "\(name) takes the API key")
            case .user?: XCTAssertEqual(schemesUsed, ["privyToken"], "\(name) takes a Privy token")
            case nil: break  // reported by the comparison of operations
            }
        }
    }

    /// Every error an operation documents is `{error, detail}`, and every
    /// operation that takes credentials documents their refusal.
    func testEveryErrorResponseIsTheErrorSchema() throws {
        let document = try document()
        let shared = (document["components"] as? [String: Any])?["responses"] as? [String: [String: Any]] ?? [:]
        for (name, operation) in try operations(document) {
            let responses = try XCTUnwrap(operation.object["responses"] as? [String: [String: Any]], name)
            for (status, value) in responses where status.hasPrefix("4") || status.hasPrefix("5") {
                var response = value
                if let reference = value["$ref"] as? String {
                    response = try XCTUnwrap(shared[String(reference.split(separator: "/").last ?? "")], reference)
                }
                let content = response["content"] as? [String: [String: Any]]
                let schema = content?["application/json"]?["schema"] as? [String: Any]
                XCTAssertEqual(schema?["$ref"] as? String, "#/components/schemas/Error", "\(name) \(status)")
            }
            if operation.object["security"] != nil, !(operation.object["security"] as? [Any] ?? []).isEmpty {
                XCTAssertNotNil(responses["401"], "\(name) documents no 401")
            }
        }
    }
}
