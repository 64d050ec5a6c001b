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
}
