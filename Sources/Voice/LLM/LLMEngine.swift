import Foundation
import LLM

/// Conversation by an LLM, with the rule engine beside it.
///
/// The LLM works out the turns where understanding matters: what the caller
/// said and what to answer, and which `data_to_fill` values it carried. The
/// rules keep what they do best and what must never depend on a model:
/// silence, low confidence and pending yes/no questions, a closing goodbye,
/// the greeting (the answer webhook never waits on a model). Every turn the
/// LLM cannot answer in time or in shape (down, slow, rate-limited, nonsense,
/// a reply that quotes its instructions) is answered by the rules instead, so
/// the caller always hears something before the deadline.
///
/// A value the LLM collected is stored only when it reads as the field's kind
/// (an email, a phone number) and passes its `validation_pattern`; the call
/// ends by the LLM's `end_call`, by the goodbye rules, or in the turn where the
/// last required value arrives.
public struct LLMEngine: ConversationEngine {
    public struct Configuration: Sendable {
        /// Time a turn keeps after the LLM for the fallback and the write.
        public var reserve: Duration
        /// The turn's deadline when the input carries none.
        public var defaultTurnTime: Duration
        public var maxTokens: Int
        public var prompt: VoicePrompt

        public init(reserve: Duration = .milliseconds(150), defaultTurnTime: Duration = .seconds(4),
                    maxTokens: Int = 200, prompt: VoicePrompt = VoicePrompt()) {
            self.reserve = reserve
            self.defaultTurnTime = defaultTurnTime
            self.maxTokens = maxTokens
            self.prompt = prompt
        }
    }

    public let client: any ChatCompleting
    public let rules: RuleEngine
    public let configuration: Configuration
    private let leakGuard = PromptLeakGuard()

    public init(client: any ChatCompleting, rules: RuleEngine = RuleEngine(), configuration: Configuration = Configuration()) {
        self.client = client
        self.rules = rules
        self.configuration = configuration
    }

    public func greet(_ session: Session, now: Date) -> TurnOutcome {
        rules.greet(session, now: now)
    }

    public func converse(_ input: TurnInput, in session: Session) -> EngineReply {
        guard session.agent.usesLLM else { return rules.converse(input, in: session) }
        let speech = rules.cleaned(input.speech ?? "")
        let confident = (input.confidence ?? 1) >= rules.configuration.lowConfidenceThreshold
        let words = Utterance(speech).words
        guard !speech.isEmpty, confident, session.pendingConfirmation == nil, session.phase != .ended,
              !Intents.isGoodbye(words, afterAnythingElse: session.phase == .wrappingUp) else {
            return rules.converse(input, in: session)
        }

        var working = session
        working.noInputStrikes = 0
        working.lowConfidenceStrikes = 0
        working.append(.user, speech, at: Timestamp(input.now), confidence: input.confidence)

        let deadline = (input.deadline ?? .now + configuration.defaultTurnTime) - configuration.reserve
        let prompt = configuration.prompt
        let request = ChatRequest(
            messages: prompt.messages(for: working, now: input.now, timeZone: input.timeZone),
            responseSchema: VoicePrompt.responseSchema(for: working.agent),
            maxTokens: configuration.maxTokens, deadline: deadline, purpose: "turn")
        let completion: ChatCompletion
        do {
            completion = try client.complete(request)
        } catch {
            return fallback(input, session, reason: error.kind.rawValue)
        }
        guard let answer = ModelReply(content: completion.content) else {
            return fallback(input, session, reason: "unusable reply")
        }
        let protected = working.agent.prompt + "\n" + VoicePrompt.callRules
        if leakGuard.leaks(answer.reply, instructions: protected) {
            return fallback(input, session, reason: "reply quoted its instructions")
        }
        return apply(answer, to: working, latency: completion.latency)
    }

    private func apply(_ answer: ModelReply, to session: Session, latency: Duration) -> EngineReply {
        var session = session
        let phrases = phrasebook(forLanguage: session.agent.language)
        let wasComplete = session.hasAllRequiredData
        var stored: [String] = []
        var refused: (DataField, String)?
        for field in session.agent.dataToFill {
            guard let raw = answer.collected[field.name]?.trimmingCharacters(in: .whitespacesAndNewlines),
                  !raw.isEmpty, raw != session.dataCollected[field.name] else { continue }
            if let value = Self.readable(raw, as: field, language: session.agent.language),
               FieldValidator.accepts(value, for: field) {
                session.dataCollected[field.name] = value
                session.skippedFields.removeAll { $0 == field.name }
                stored.append(field.name)
            } else if refused == nil {
                refused = (field, raw)
            }
        }
        let next = session.nextUnfilledField()
        session.currentField = next?.name
        session.phase = next == nil ? .wrappingUp : .collecting
        session.fieldAttempts = 0

        var reply = EngineReply(session: session)
        reply.report = EngineReport(engine: .llm, latency: latency, stored: stored, refused: refused.map { [$0.0.name] } ?? [])
        if let (field, value) = refused {
            // The model may have thanked the caller for a value we cannot use:
            // say why instead, and ask for it again.
            reply.lead = [phrases.invalid(field, value: value)]
            reply.question = field.prompt
            return reply
        }
        reply.lead = [answer.reply]
        reply.wantsTransfer = answer.transfer
        if answer.endCall {
            reply.endedBy = session.hasAllRequiredData && !session.agent.dataToFill.isEmpty ? .systemComplete : .user
        } else if !wasComplete, session.hasAllRequiredData {
            // The last required value just arrived: close, without leaving a question hanging.
            if answer.reply.hasSuffix("?") { reply.lead = [] }
            reply.lead.append(phrases.allCollected(name: session.callerFirstName))
            reply.lead.append(phrases.farewell)
            reply.endedBy = .systemComplete
        }
        return reply
    }

    private func fallback(_ input: TurnInput, _ session: Session, reason: String) -> EngineReply {
        var reply = rules.converse(input, in: session)
        reply.report = EngineReport(engine: .rules, fallbackReason: reason)
        return reply
    }

    /// The value as the rules would store it: emails and phone numbers read
    /// into their written form (a model may return "john at example dot com").
    static func readable(_ value: String, as field: DataField, language: String) -> String? {
        switch field.kind {
        case .email, .phone, .contact:
            return FieldReader.value(for: field, in: value, language: language)
        case .personName, .freeText:
            return String(value.prefix(500))
        }
    }
}
