import Foundation
import LLM

/// A model for unit tests: answers from a script, in order, and keeps every
/// request it was given. An exhausted script answers with a server error.
public final class ScriptedChatModel: ChatCompleting, @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [Result<String, LLMError>]
    private var asked: [ChatRequest] = []

    public init(_ answers: [Result<String, LLMError>]) { self.answers = answers }

    public convenience init(json: String) { self.init([.success(json)]) }

    public var requests: [ChatRequest] { lock.withLock { asked } }

    public func complete(_ request: ChatRequest) throws(LLMError) -> ChatCompletion {
        let next: Result<String, LLMError> = lock.withLock {
            asked.append(request)
            return answers.isEmpty ? .failure(LLMError(.server, detail: "script ended")) : answers.removeFirst()
        }
        switch next {
        case .success(let content): return ChatCompletion(content: content, latency: .milliseconds(5))
        case .failure(let error): throw error
        }
    }
}
