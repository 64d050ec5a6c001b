/// Turns a chat message into an intent. The rule-based implementation needs no
/// network; an LLM-backed one can take its place behind this protocol.
///
/// Synchronous because endpoints are synchronous FastCGI handlers: an
/// implementation that calls a model blocks its request thread, as every other
/// client in this system does.
public protocol ChatUnderstanding: Sendable {
    /// The intent of `message` given `context`. Throws only when the
    /// implementation itself fails (a model that cannot be reached); a message it
    /// cannot understand is a `.clarify` intent, not an error.
    func understand(_ message: String, context: ChatContext) throws -> ChatIntent

    /// `understand`, with how the intent was found (a default is provided).
    func interpret(_ message: String, context: ChatContext) throws -> ChatInterpretation
}

/// An intent, and how it was arrived at (for the request's log line).
public struct ChatInterpretation: Sendable {
    public var intent: ChatIntent
    /// `rules` or `llm`.
    public var engine: String
    /// Why an LLM's answer was not used, when the rules stood in for it.
    public var fallbackReason: String?

    public init(intent: ChatIntent, engine: String, fallbackReason: String? = nil) {
        self.intent = intent
        self.engine = engine
        self.fallbackReason = fallbackReason
    }
}

extension ChatUnderstanding {
    /// `understand`, with how the intent was found; rule-based by default.
    public func interpret(_ message: String, context: ChatContext) throws -> ChatInterpretation {
        ChatInterpretation(intent: try understand(message, context: context), engine: "rules")
    }
}
