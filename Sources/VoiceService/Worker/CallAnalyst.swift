import Foundation
import LLM
import Logging
import Voice

/// Post-call analysis by the configured LLM, for the worker.
public struct CallAnalyst: Sendable {
    let client: any ChatCompleting
    let model: String
    /// How long one analysis may take; the job is retried after a failure.
    let timeout: Duration
    let maxTokens: Int

    public init(client: any ChatCompleting, model: String, timeout: Duration = .seconds(30), maxTokens: Int = 400) {
        self.client = client
        self.model = model
        self.timeout = timeout
        self.maxTokens = maxTokens
    }

    public enum Outcome: Sendable {
        case analysis(CallAnalysis)
        /// The model answered, but not with a usable analysis.
        case unusable
    }

    public func analyze(_ record: CallRecord, agent: Agent, now: Date = Date()) throws(LLMError) -> Outcome {
        let request = ChatRequest(messages: AnalysisPrompt.messages(record: record, agent: agent),
                                  responseSchema: AnalysisPrompt.responseSchema(for: agent), maxTokens: maxTokens,
                                  deadline: .now + timeout, purpose: "analysis")
        let completion = try client.complete(request)
        guard let analysis = AnalysisPrompt.analysis(from: completion.content, agent: agent, model: model, now: now) else {
            return .unusable
        }
        return .analysis(analysis)
    }
}
