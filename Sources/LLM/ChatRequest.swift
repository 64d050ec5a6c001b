/// What to ask a model: the conversation, the shape of the answer, and when it
/// is due. Knows nothing of calls or chats.
public struct ChatRequest: Sendable {
    public var messages: [ChatMessage]
    /// A JSON Schema (as JSON text) the reply's content must follow; nil for free text.
    /// Sent as OpenAI's `response_format` or Ollama's `format`.
    public var responseSchema: String?
    public var maxTokens: Int
    public var temperature: Double
    /// The answer is abandoned (a timeout) at this instant.
    public var deadline: ContinuousClock.Instant
    /// Names the request in logs (e.g. `turn`, `analysis`).
    public var purpose: String

    public init(messages: [ChatMessage], responseSchema: String? = nil, maxTokens: Int = 256,
                temperature: Double = 0.2, deadline: ContinuousClock.Instant, purpose: String) {
        self.messages = messages
        self.responseSchema = responseSchema
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.deadline = deadline
        self.purpose = purpose
    }
}

/// A model's answer.
public struct ChatCompletion: Sendable, Hashable {
    public var content: String
    public var promptTokens: Int?
    public var completionTokens: Int?
    /// From sending the request to the whole answer.
    public var latency: Duration

    public init(content: String, promptTokens: Int? = nil, completionTokens: Int? = nil, latency: Duration) {
        self.content = content
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.latency = latency
    }
}

/// Anything that answers chat requests: the HTTP client, or a stand-in in unit tests.
public protocol ChatCompleting: Sendable {
    /// Blocks until the answer, an error, or the request's deadline.
    func complete(_ request: ChatRequest) throws(LLMError) -> ChatCompletion
}
