import Common
import SessionDB
import XCTest

final class RequestBodyTests: XCTestCase {
    private func request(_ body: String, type: String) -> Request {
        Request(method: "POST", rawPath: "/x", headers: ["content-type": type], body: Array(body.utf8))
    }

    func testFormFieldsDecodeAndKeepOrderAndDuplicates() throws {
        let form = try request("CallSid=CA1&SpeechResult=hello+there%21&a=1&a=2&empty=",
                               type: "application/x-www-form-urlencoded; charset=utf-8").form()
        XCTAssertEqual(form["SpeechResult"], "hello there!")
        XCTAssertEqual(form.pairs.filter { $0.name == "a" }.map(\.value), ["1", "2"])
        XCTAssertEqual(form["empty"], "")
        XCTAssertEqual(try form.required("CallSid"), "CA1")
        XCTAssertThrowsError(try form.required("empty")) { error in
            XCTAssertEqual(error as? HTTPError, .badRequest("missing field 'empty'"))
        }
    }

    func testFormFieldsOfOddShapes() throws {
        let form = try request("&&a=1&&b&=x&c==d&", type: " Application/X-WWW-Form-Urlencoded\t; charset=utf-8").form()
        XCTAssertEqual(form.pairs.map(\.name), ["a", "b", "", "c"])
        XCTAssertEqual(form.pairs.map(\.value), ["1", "", "x", "=d"])
        XCTAssertEqual(try request("", type: "application/x-www-form-urlencoded").form().pairs.count, 0)
    }

    func testBrokenFormEscapesAre400() {
        for body in ["a=%zz", "a=%4", "a=%", "%ff%fe=1"] {
            XCTAssertThrowsError(try request(body, type: "application/x-www-form-urlencoded").form(), body) { error in
                let http = error as? HTTPError
                XCTAssertEqual(http?.status, 400, body)
                XCTAssertTrue(http?.detail.contains("malformed form body") == true, body)
            }
        }
    }

    func testPathIsDecodedWithoutTurningPlusIntoSpace() {
        XCTAssertEqual(Request(method: "GET", rawPath: "/agents/sales%2D001+x").path, "/agents/sales-001+x")
        XCTAssertEqual(Request(method: "GET", rawPath: "/caf%C3%A9").path, "/café")
        // A broken escape or bytes that are not UTF-8 leave the path as sent.
        for raw in ["/a%zz", "/a%4", "/a%", "/a%ff"] {
            XCTAssertEqual(Request(method: "GET", rawPath: raw).path, raw)
        }
        XCTAssertEqual(PercentDecoding.decode(Array("a+b%20c".utf8), plusIsSpace: true), "a b c")
    }

    func testWrongContentTypeIs415() {
        XCTAssertThrowsError(try request("{}", type: "text/plain").json([String: String].self)) { error in
            XCTAssertEqual((error as? HTTPError)?.status, 415)
        }
        XCTAssertThrowsError(try request("a=1", type: "application/json").form()) { error in
            XCTAssertEqual((error as? HTTPError)?.status, 415)
        }
    }

    func testContentTypeIsTheMediaTypeAloneInLowerCase() {
        XCTAssertEqual(request("", type: "application/x-www-form-urlencoded; charset=UTF-8").contentType,
                       "application/x-www-form-urlencoded")
        XCTAssertEqual(request("", type: " \tApplication/JSON \t;charset=utf-8").contentType, "application/json")
        XCTAssertEqual(request("", type: "TEXT/Plain").contentType, "text/plain")
        XCTAssertEqual(request("", type: " ; charset=utf-8").contentType, "")
        XCTAssertEqual(request("", type: "").contentType, "")
        XCTAssertNil(Request(method: "POST", rawPath: "/x", headers: [:], body: []).contentType)
        XCTAssertNoThrow(try request("a=1", type: "Application/X-WWW-Form-Urlencoded ; charset=UTF-8").form())
    }

    struct MakeCall: Decodable {
        let agentID: String
        let toNumber: String
        let retries: Int?
        enum CodingKeys: String, CodingKey {
            case agentID = "agent_id", toNumber = "to_number", retries
        }
    }

    func testJSONErrorsSayWhatIsWrong() {
        let cases: [(String, String)] = [
            ("{\"agent_id\": \"a\"}", "missing field 'to_number'"),
            ("{\"agent_id\": 5, \"to_number\": \"+1\"}", "field 'agent_id' must be a string"),
            ("{\"agent_id\": \"a\", \"to_number\": \"+1\", \"retries\": \"x\"}", "field 'retries' must be a whole number"),
            ("{\"agent_id\": null, \"to_number\": \"+1\"}", "field 'agent_id' must be a string, not null"),
            ("{\"agent_id\": ", "the body is not valid JSON"),
            ("", "the body is empty; expected a JSON object"),
        ]
        for (body, expected) in cases {
            XCTAssertThrowsError(try request(body, type: "application/json").json(MakeCall.self), body) { error in
                XCTAssertEqual(error as? HTTPError, .badRequest(expected), body)
            }
        }
    }

    func testValidJSONDecodes() throws {
        let call = try request("{\"agent_id\": \"sales-001\", \"to_number\": \"+15550100\"}", type: "application/json")
            .json(MakeCall.self)
        XCTAssertEqual(call.agentID, "sales-001")
        XCTAssertNil(call.retries)
    }

    func testErrorResponseIsJSONWithErrorAndDetail() throws {
        let response = Response.error(.badRequest("field \"x\" is wrong"))
        XCTAssertEqual(response.status, 400)
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: String]
        XCTAssertEqual(object, ["error": "bad_request", "detail": "field \"x\" is wrong"])
    }

    func testHandlerFailuresBecomeJSONWithoutLeakingDetails() throws {
        struct Boom: Error {}
        let config = try AppConfig(environment: Environment([:]))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let db = try SessionDB(options: SessionDBOptions(directory: directory), databases: SessionDBLayout.databases)
        let context = RequestContext(config: config, sessionDB: db, logger: .init(label: "test"))
        let failed = Endpoint.respond(to: request("", type: "x"), context: context) { _, _ in throw Boom() }
        XCTAssertEqual(failed.status, 500)
        XCTAssertFalse(String(decoding: failed.body, as: UTF8.self).contains("Boom"))
        let refused = Endpoint.respond(to: request("", type: "x"), context: context) { _, _ in
            throw HTTPError.notFound("no call CA1")
        }
        XCTAssertEqual(refused.status, 404)
    }
}
