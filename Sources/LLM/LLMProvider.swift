/// Which server answers, and how to reach it.
public enum LLMProvider: Sendable, Hashable {
    /// OpenAI's chat completions, or any server that speaks them (vLLM,
    /// llama.cpp's server, Groq, Together): `baseURL` ends before `/chat/completions`.
    case openAI(baseURL: String, apiKey: String?, model: String)
    /// Ollama's native `/api/chat`; `timeout` is `OLLAMA_TIMEOUT`, a cap on every request.
    case ollama(host: String, model: String, timeout: Duration)

    public var name: String {
        switch self {
        case .openAI: "openai"
        case .ollama: "ollama"
        }
    }

    public var model: String {
        switch self {
        case .openAI(_, _, let model), .ollama(_, let model, _): model
        }
    }
}
