import Foundation
import HTTPClient
import Logging
import Metrics

/// Asks a model over HTTP, on the calling thread, within the request's
/// deadline. Logs provider, model, token usage and latency of every request;
/// never the key, never the conversation.
public final class LLMClient: ChatCompleting {
    public let provider: LLMProvider
    let http: any HTTPTransport
    private let logger: Logger
    /// Set once an OpenAI-compatible server refuses `json_schema` (llama.cpp's
    /// does, with a 500), so later requests go straight to `json_object`.
    private let refusesJSONSchema = LockedFlag()

    /// Below this much time left a request is not worth sending.
    static let minimumTime: Duration = .milliseconds(30)

    public init(provider: LLMProvider, http: any HTTPTransport = HTTPClient.shared, logger: Logger = Logger(label: "llm")) {
        self.provider = provider
        self.http = http
        self.logger = logger
    }

    public func complete(_ request: ChatRequest) throws(LLMError) -> ChatCompletion {
        let started = ContinuousClock.now
        do {
            let (content, promptTokens, completionTokens) = try send(request)
            let completion = ChatCompletion(content: content, promptTokens: promptTokens,
                                            completionTokens: completionTokens, latency: .now - started)
            // Token counts, under names the log's secret filter (which hides any
            // key with "token" in it) lets through.
            logger.info("llm answered", metadata: metadata(request, started).merging([
                "usage_prompt": "\(promptTokens.map(String.init) ?? "?")",
                "usage_completion": "\(completionTokens.map(String.init) ?? "?")",
            ]) { $1 })
            count(request, outcome: "ok")
            return completion
        } catch {
            count(request, outcome: error.kind.rawValue)
            logger.warning("llm failed", metadata: metadata(request, started).merging([
                "error": "\(error.kind.rawValue)", "status": "\(error.status.map(String.init) ?? "-")",
            ]) { $1 })
            throw error
        }
    }

    /// `voice_llm_requests_total`: one per completion asked for, whatever the retries inside.
    private func count(_ request: ChatRequest, outcome: String) {
        MetricsRegistry.shared.increment(.llmRequests, [Label("provider", provider.name),
                                                        Label("purpose", request.purpose), Label("outcome", outcome)])
    }

    private func metadata(_ request: ChatRequest, _ started: ContinuousClock.Instant) -> Logger.Metadata {
        let elapsed = ContinuousClock.now - started
        return [
            "provider": "\(provider.name)", "model": "\(provider.model)", "purpose": "\(request.purpose)",
            "latency_ms": "\(Int(elapsed / .milliseconds(1)))",
        ]
    }

    private func send(_ request: ChatRequest) throws(LLMError) -> (String, Int?, Int?) {
        switch provider {
        case .openAI(let baseURL, let apiKey, let model):
            var headers = [(name: "Content-Type", value: "application/json")]
            if let apiKey, !apiKey.isEmpty { headers.append((name: "Authorization", value: "Bearer \(apiKey)")) }
            let url = baseURL.trimmingSuffix("/") + "/chat/completions"
            let structured: WireFormat.StructuredOutput = refusesJSONSchema.isSet ? .jsonObject : .jsonSchema
            let response = try post(url, headers: headers, body: encode {
                try WireFormat.openAIBody(request, model: model, structured: structured)
            }, deadline: request.deadline)
            if structured == .jsonSchema, request.responseSchema != nil, Self.refusedJSONSchema(response) {
                refusesJSONSchema.set()
                logger.notice("the server refuses json_schema; asking with json_object from now on")
                let retry = try post(url, headers: headers, body: encode {
                    try WireFormat.openAIBody(request, model: model, structured: .jsonObject)
                }, deadline: request.deadline)
                return try Self.content(of: retry, provider: provider)
            }
            return try Self.content(of: response, provider: provider)
        case .ollama(let host, let model, let timeout):
            let url = host.trimmingSuffix("/") + "/api/chat"
            let response = try post(url, headers: [(name: "Content-Type", value: "application/json")],
                                    body: encode { try WireFormat.ollamaBody(request, model: model) },
                                    deadline: min(request.deadline, .now + timeout))
            return try Self.content(of: response, provider: provider)
        }
    }

    private func encode(_ build: () throws -> [UInt8]) throws(LLMError) -> [UInt8] {
        do {
            return try build()
        } catch {
            throw LLMError(.malformed, detail: "the response schema is not JSON")
        }
    }

    private func post(_ url: String, headers: [(name: String, value: String)], body: [UInt8],
                      deadline: ContinuousClock.Instant) throws(LLMError) -> HTTPResponse {
        let remaining = deadline - .now
        guard remaining >= Self.minimumTime else { throw LLMError(.timeout, detail: "no time left to ask") }
        let request = HTTPRequest(method: "POST", url: url, headers: headers, body: .bytes(body),
                                  connectTimeout: min(remaining, .seconds(3)), timeout: remaining)
        do {
            return try http.send(request)
        } catch let error as HTTPClientError {
            throw LLMError(error.isTimeout ? .timeout : .transport, detail: error.description)
        } catch {
            throw LLMError(.transport, detail: "\(error)")
        }
    }

    private static func refusedJSONSchema(_ response: HTTPResponse) -> Bool {
        [400, 422, 500].contains(response.status)
            && String(decoding: response.body.prefix(4096), as: UTF8.self).contains("response_format")
    }

    private static func content(of response: HTTPResponse, provider: LLMProvider) throws(LLMError) -> (String, Int?, Int?) {
        switch response.status {
        case 200..<300:
            return try WireFormat.decode(response.body, provider: provider)
        case 429:
            throw LLMError(.rateLimited, status: 429, detail: "rate limited")
        case 401, 403:
            throw LLMError(.unauthorized, status: response.status, detail: "the key was refused")
        default:
            throw LLMError(.server, status: response.status, detail: "the server answered \(response.status)")
        }
    }
}

/// What sends the client's requests: libcurl (`HTTPClient`), or a recorder in tests.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) throws -> HTTPResponse
}

extension HTTPClient: HTTPTransport {
    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        try execute(request)
    }
}

/// A flag threads may set and read.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
