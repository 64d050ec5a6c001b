import Foundation
import HTTPClient
import Logging
import TestSupport
import XCTest
@testable import LLM

final class LLMClientTests: XCTestCase {
    let schema = #"{"type": "object", "properties": {"reply": {"type": "string"}}, "required": ["reply"]}"#

    func request(schema: String? = nil, within: Duration = .seconds(5)) -> ChatRequest {
        ChatRequest(messages: [ChatMessage(.system, "Be brief."), ChatMessage(.user, "Hello")], responseSchema: schema,
                    maxTokens: 64, deadline: .now + within, purpose: "test")
    }

    static func completion(_ content: String, prompt: Int = 11, completion: Int = 7) -> TestHTTPServer.Response {
        let body: [String: Any] = [
            "id": "chatcmpl-1", "object": "chat.completion", "model": "m",
            "choices": [["index": 0, "message": ["role": "assistant", "content": content], "finish_reason": "stop"]],
            "usage": ["prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion],
        ]
        return .init(status: 200, headers: [("Content-Type", "application/json")],
                     body: Array(try! JSONSerialization.data(withJSONObject: body)))
    }

    func json(_ request: TestHTTPServer.Request) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
    }

    func testOpenAIRequestCarriesModelMessagesKeyAndSchemaAndTheAnswerIsRead() throws {
        let server = try TestHTTPServer { _, _ in Self.completion(#"{"reply": "Hi!"}"#) }
        defer { server.stop() }
        let client = LLMClient(provider: .openAI(baseURL: server.baseURL + "/v1/", apiKey: "sk-test", model: "gpt-x"))
        let answer = try client.complete(request(schema: schema))
        XCTAssertEqual(answer.content, #"{"reply": "Hi!"}"#)
        XCTAssertEqual(answer.promptTokens, 11)
        XCTAssertEqual(answer.completionTokens, 7)
        let seen = server.requests[0]
        XCTAssertEqual(seen.path, "/v1/chat/completions")
        XCTAssertEqual(seen.headers["authorization"], "Bearer sk-test")
        let body = json(seen)
        XCTAssertEqual(body["model"] as? String, "gpt-x")
        XCTAssertEqual(body["max_tokens"] as? Int, 64)
        let messages = body["messages"] as? [[String: String]]
        XCTAssertEqual(messages?.map { $0["role"] ?? "" }, ["system", "user"])
        XCTAssertEqual(messages?.last?["content"], "Hello")
        let format = body["response_format"] as? [String: Any]
        XCTAssertEqual(format?["type"] as? String, "json_schema")
        let inner = format?["json_schema"] as? [String: Any]
        XCTAssertEqual((inner?["schema"] as? [String: Any])?["type"] as? String, "object")
    }

    func testWithoutAKeyNoAuthorizationIsSentAndWithoutASchemaNoFormat() throws {
        let server = try TestHTTPServer { _, _ in Self.completion("plain words") }
        defer { server.stop() }
        let client = LLMClient(provider: .openAI(baseURL: server.baseURL + "/v1", apiKey: nil, model: "m"))
        XCTAssertEqual(try client.complete(request()).content, "plain words")
        XCTAssertNil(server.requests[0].headers["authorization"])
        XCTAssertNil(json(server.requests[0])["response_format"])
    }

    /// llama.cpp's server refuses `json_schema` with a 500 naming `response_format`:
    /// the same request goes again as `json_object`, and so do later ones.
    func testAServerRefusingJSONSchemaIsAskedWithJSONObjectFromThenOn() throws {
        let server = try TestHTTPServer { request, _ in
            let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any]
            let type = (body?["response_format"] as? [String: Any])?["type"] as? String
            if type == "json_schema" {
                return .json(500, #"{"error": {"message": "response_format.type: Input should be 'json_object'"}}"#)
            }
            return Self.completion(#"{"reply": "ok"}"#)
        }
        defer { server.stop() }
        let client = LLMClient(provider: .openAI(baseURL: server.baseURL + "/v1", apiKey: nil, model: "m"))
        XCTAssertEqual(try client.complete(request(schema: schema)).content, #"{"reply": "ok"}"#)
        XCTAssertEqual(try client.complete(request(schema: schema)).content, #"{"reply": "ok"}"#)
        let types = server.requests.map { (json($0)["response_format"] as? [String: Any])?["type"] as? String }
        XCTAssertEqual(types, ["json_schema", "json_object", "json_object"])
        let retried = json(server.requests[1])["response_format"] as? [String: Any]
        XCTAssertEqual((retried?["schema"] as? [String: Any])?["type"] as? String, "object")
    }

    func testStatusesBecomeKindsOfFailure() throws {
        let cases: [(Int, LLMError.Kind)] = [(429, .rateLimited), (401, .unauthorized), (403, .unauthorized),
                                            (500, .server), (503, .server), (404, .server)]
        for (status, kind) in cases {
            let server = try TestHTTPServer { _, _ in .json(status, #"{"error": {"message": "no"}}"#) }
            let client = LLMClient(provider: .openAI(baseURL: server.baseURL, apiKey: "k", model: "m"))
            XCTAssertThrowsError(try client.complete(request())) { error in
                XCTAssertEqual((error as? LLMError)?.kind, kind, "HTTP \(status)")
                XCTAssertEqual((error as? LLMError)?.status, status)
            }
            server.stop()
        }
    }

    func testAnAnswerThatIsNoCompletionOrHasNoContentIsMalformed() throws {
        let bodies = ["<html>oops</html>", #"{"choices": []}"#,
                      #"{"choices": [{"message": {"role": "assistant", "content": "  "}}]}"#,
                      #"{"choices": [{"message": {"role": "assistant", "content": null}}]}"#]
        for text in bodies {
            let server = try TestHTTPServer { _, _ in .json(200, text) }
            let client = LLMClient(provider: .openAI(baseURL: server.baseURL, apiKey: nil, model: "m"))
            XCTAssertThrowsError(try client.complete(request())) { error in
                XCTAssertEqual((error as? LLMError)?.kind, .malformed, text)
            }
            server.stop()
        }
    }

    func testASlowServerIsAbandonedAsATimeout() throws {
        let server = try TestHTTPServer { _, _ in .init(status: 200, hang: true) }
        defer { server.stop() }
        let client = LLMClient(provider: .openAI(baseURL: server.baseURL, apiKey: nil, model: "m"))
        XCTAssertThrowsError(try client.complete(request(within: .milliseconds(300)))) { error in
            XCTAssertEqual((error as? LLMError)?.kind, .timeout)
        }
    }

    /// The wait libcurl is given is what the deadline leaves, never more.
    func testTheRequestIsGivenNoMoreTimeThanTheDeadlineLeaves() throws {
        let transport = RecordingTransport()
        let client = LLMClient(provider: .openAI(baseURL: "http://127.0.0.1:9", apiKey: nil, model: "m"), http: transport)
        XCTAssertThrowsError(try client.complete(request(within: .milliseconds(300))))
        let sent = try XCTUnwrap(transport.requests.first)
        XCTAssertLessThanOrEqual(sent.timeout, .milliseconds(300))
        XCTAssertGreaterThan(sent.timeout, .zero)
        XCTAssertLessThanOrEqual(sent.connectTimeout, sent.timeout)
    }

    func testNoRequestIsSentWhenTheDeadlineHasPassed() throws {
        let server = try TestHTTPServer { _, _ in Self.completion("late") }
        defer { server.stop() }
        let client = LLMClient(provider: .openAI(baseURL: server.baseURL, apiKey: nil, model: "m"))
        XCTAssertThrowsError(try client.complete(request(within: .milliseconds(-5)))) { error in
            XCTAssertEqual((error as? LLMError)?.kind, .timeout)
        }
        XCTAssertTrue(server.requests.isEmpty)
    }

    func testARefusedConnectionIsTransport() throws {
        let server = try TestHTTPServer { _, _ in .init(status: 200) }
        let url = server.baseURL
        server.stop()
        let client = LLMClient(provider: .ollama(host: url, model: "m", timeout: .seconds(5)))
        XCTAssertThrowsError(try client.complete(request())) { error in
            XCTAssertEqual((error as? LLMError)?.kind, .transport)
        }
    }

    func testOllamaIsAskedOnApiChatWithItsFormatAndOptions() throws {
        let server = try TestHTTPServer { _, _ in
            .json(200, #"{"model": "llama3.2", "message": {"role": "assistant", "content": "{\"reply\": \"Hi\"}"}, "#
                  + #""done": true, "prompt_eval_count": 21, "eval_count": 5}"#)
        }
        defer { server.stop() }
        let client = LLMClient(provider: .ollama(host: server.baseURL, model: "llama3.2", timeout: .seconds(30)))
        let answer = try client.complete(request(schema: schema))
        XCTAssertEqual(answer.content, #"{"reply": "Hi"}"#)
        XCTAssertEqual(answer.promptTokens, 21)
        XCTAssertEqual(answer.completionTokens, 5)
        let seen = server.requests[0]
        XCTAssertEqual(seen.path, "/api/chat")
        let body = json(seen)
        XCTAssertEqual(body["model"] as? String, "llama3.2")
        XCTAssertEqual(body["stream"] as? Bool, false)
        XCTAssertEqual((body["format"] as? [String: Any])?["type"] as? String, "object")
        XCTAssertEqual((body["options"] as? [String: Any])?["num_predict"] as? Int, 64)
    }

    func testOllamaTimeoutCapsTheWaitEvenWithALaterDeadline() throws {
        let transport = RecordingTransport()
        let client = LLMClient(provider: .ollama(host: "http://127.0.0.1:9", model: "m", timeout: .milliseconds(200)),
                               http: transport)
        XCTAssertThrowsError(try client.complete(request(within: .seconds(20))))
        XCTAssertLessThanOrEqual(try XCTUnwrap(transport.requests.first).timeout, .milliseconds(200))
    }
}

/// Keeps the requests the client sends and answers each with a timeout.
final class RecordingTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var sent: [HTTPRequest] = []

    var requests: [HTTPRequest] { lock.withLock { sent } }

    func send(_ request: HTTPRequest) throws -> HTTPResponse {
        lock.withLock { sent.append(request) }
        throw HTTPClientError(kind: .timeout, message: "recorded")
    }
}
