import Foundation
import HTTPClient

/// Whether the configured LLM server answers, for `/health`: one cheap GET
/// (the model list), never a completion.
public struct LLMProbe: Sendable, Encodable {
    public var provider: String
    public var model: String
    public var reachable: Bool
    public var latencyMs: Int
    /// Why it is not reachable (a status or a transport error), never a key.
    public var detail: String?

    enum CodingKeys: String, CodingKey {
        case provider, model, reachable, detail
        case latencyMs = "latency_ms"
    }
}

extension LLMClient {
    public func probe(timeout: Duration) -> LLMProbe {
        var headers: [(name: String, value: String)] = []
        let url: String
        switch provider {
        case .openAI(let baseURL, let apiKey, _):
            url = baseURL.trimmingSuffix("/") + "/models"
            if let apiKey, !apiKey.isEmpty { headers.append((name: "Authorization", value: "Bearer \(apiKey)")) }
        case .ollama(let host, _, _):
            url = host.trimmingSuffix("/") + "/api/tags"
        }
        let started = ContinuousClock.now
        var result = LLMProbe(provider: provider.name, model: provider.model, reachable: false, latencyMs: 0)
        do {
            let response = try http.send(HTTPRequest(method: "GET", url: url, headers: headers,
                                                        connectTimeout: min(timeout, .seconds(1)), timeout: timeout))
            result.reachable = response.isSuccess
            if !response.isSuccess { result.detail = "HTTP \(response.status)" }
        } catch let error as HTTPClientError {
            result.detail = error.isTimeout ? "timeout" : "unreachable"
        } catch {
            result.detail = "unreachable"
        }
        result.latencyMs = Int((ContinuousClock.now - started) / .milliseconds(1))
        return result
    }
}
