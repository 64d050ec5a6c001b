import Foundation
import LLM

/// Which LLM the assistants talk to, if any, and how long a turn may wait for
/// it. `USE_OPENAI` / `USE_LOCAL_LLM` and their companions keep the names and
/// meanings of the original systems; `LOCAL_LLM=true` runs a small model on
/// this machine behind an OpenAI-compatible server (local mode).
public struct LLMSettings: Sendable {
    /// Nil: no LLM; every agent is answered by the rule engine.
    public var provider: LLMProvider?
    /// `LLM_TURN_DEADLINE_MS`: a call's turn is answered this long after nginx
    /// received it at the latest; an LLM that has not answered by then gives
    /// way to the rule engine for that turn.
    public var turnDeadlineMilliseconds: Int
    /// `LLM_MAX_TOKENS`: the longest reply asked for.
    public var maxTokens: Int
    /// `LLM_HISTORY_MESSAGES`: transcript lines sent with each turn.
    public var historyMessages: Int
    /// `LLM_ANALYSIS_TIMEOUT_SECONDS`: how long the worker waits for one post-call analysis.
    public var analysisTimeoutSeconds: Int

    public var isConfigured: Bool { provider != nil }

    /// The model the local server runs under `LOCAL_LLM=true`.
    public static let localModel = "smollm2-135m"

    static func load(_ env: Environment) throws -> LLMSettings {
        let useOpenAI = try env.bool("USE_OPENAI", default: false)
        let useOllama = try env.bool("USE_LOCAL_LLM", default: false)
        let localModel = try env.bool("LOCAL_LLM", default: false)
        if [useOpenAI, useOllama, localModel].filter({ $0 }).count > 1 {
            throw ConfigError.invalid(variable: "USE_OPENAI", value: "true",
                                      expected: "only one of USE_OPENAI, USE_LOCAL_LLM (Ollama) and LOCAL_LLM set to true")
        }
        let provider: LLMProvider?
        if localModel {
            let port = try env.int("LOCAL_LLM_PORT", default: 4568, in: 1...65535)
            provider = .openAI(baseURL: "http://127.0.0.1:\(port)/v1", apiKey: nil, model: Self.localModel)
        } else if useOpenAI {
            let baseURL = try env.url("OPENAI_BASE_URL", default: "https://api.openai.com/v1") ?? "https://api.openai.com/v1"
            let key = env["OPENAI_API_KEY"]
            if key == nil, baseURL.contains("api.openai.com") {
                throw ConfigError.missing(variable: "OPENAI_API_KEY",
                                          reason: "USE_OPENAI=true needs it (or OPENAI_BASE_URL naming a server without keys)")
            }
            provider = .openAI(baseURL: baseURL, apiKey: key, model: env.string("OPENAI_MODEL", default: "gpt-4o-mini"))
        } else if useOllama {
            provider = .ollama(
                host: try env.url("OLLAMA_HOST", default: "http://localhost:11434") ?? "http://localhost:11434",
                model: env.string("OLLAMA_MODEL", default: "llama3.2"),
                timeout: .seconds(try env.int("OLLAMA_TIMEOUT", default: 30, in: 1...600)))
        } else {
            provider = nil
        }
        return LLMSettings(
            provider: provider,
            turnDeadlineMilliseconds: try env.int("LLM_TURN_DEADLINE_MS", default: 4000, in: 300...14000),
            maxTokens: try env.int("LLM_MAX_TOKENS", default: 200, in: 16...4096),
            historyMessages: try env.int("LLM_HISTORY_MESSAGES", default: 12, in: 1...200),
            analysisTimeoutSeconds: try env.int("LLM_ANALYSIS_TIMEOUT_SECONDS", default: 30, in: 1...600))
    }
}
