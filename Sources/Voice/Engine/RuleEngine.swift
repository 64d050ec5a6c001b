import Foundation

/// The built-in conversation engine: no LLM, deterministic, well under a
/// millisecond per turn.
///
/// It greets, asks for each of the agent's `data_to_fill` fields in order,
/// hears and validates the answers, and closes the call. What it does in the
/// situations a phone call throws at it:
/// - **No input**: re-asks twice ("Sorry, I didn't hear anything", "Are you
///   still there?"), and on the third silent turn in a row says goodbye and
///   hangs up with `ended_by = system_timeout`. Any speech resets the count.
/// - **Low confidence** (below `lowConfidenceThreshold`): the first such turn is
///   not acted on; the caller is asked to repeat. If the repeat is heard with
///   low confidence too, the engine accepts it *with confirmation*: a field
///   value is read back ("I think I heard … Is that right?") and stored only
///   after a yes; a goodbye becomes "Did you want to end the call?". A plain yes
///   or no is taken as said. The count resets after this, and on any confident turn.
/// - **Goodbye** is recognised only when the whole utterance is a closing
///   ("bye", "that's all, thanks", "no that's it", "धन्यवाद, बस इतना ही"), so
///   "thanks, my email is …", "I'm not done yet" or "don't hang up" go on.
///   A bare "no" ends the call only in answer to "anything else?".
/// - **Turn limit**: on the `maxTurns`-th turn the agent answers what it can and
///   closes politely, `ended_by = system_complete` when all required data is in,
///   `system_timeout` otherwise.
/// - **Validation**: a value that fails `validation_pattern` is not stored; the
///   agent says what it heard and why it cannot use it, gives the example, and
///   asks again. Required fields are asked until answered (the turn limit bounds
///   this); optional ones are skipped after `optionalFieldAttempts` failures or
///   when the caller declines ("skip", "I don't have one").
/// - **Corrections**: "my name is …" at any point updates the name field.
/// - **Returning callers**: the name from the newest past call is carried over
///   and the caller is welcomed back by it; they can correct it as above.
public struct RuleEngine: ConversationEngine {
    /// Tunables, with the defaults the handlers use.
    public struct Configuration: Sendable {
        /// `SESSION_SYNC_FREQUENCY`: request a transcript sync every this many lines.
        public var syncFrequency: Int
        /// Caller turns (silent ones included) after which the call is closed.
        public var maxTurns: Int
        /// Confidence below which a caller's words are not trusted outright.
        public var lowConfidenceThreshold: Double
        /// Silent turns in a row that end the call.
        public var noInputLimit: Int
        /// Failed answers after which an optional field is skipped.
        public var optionalFieldAttempts: Int
        /// Longest caller line kept and processed, in characters. Real speech
        /// results are a sentence or two; the cap keeps a forged or broken
        /// request from bloating the transcript towards DynamoDB's 400 KB item limit.
        public var maxSpeechCharacters: Int

        public init(
            syncFrequency: Int = 5, maxTurns: Int = 30, lowConfidenceThreshold: Double = 0.6, noInputLimit: Int = 3,
            optionalFieldAttempts: Int = 2, maxSpeechCharacters: Int = 1000
        ) {
            self.syncFrequency = syncFrequency
            self.maxTurns = maxTurns
            self.lowConfidenceThreshold = lowConfidenceThreshold
            self.noInputLimit = noInputLimit
            self.optionalFieldAttempts = optionalFieldAttempts
            self.maxSpeechCharacters = maxSpeechCharacters
        }
    }

    public let configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The opening, with the sync it may call for (see `TurnDriver.start`).
    public func start(_ session: Session, now: Date) -> TurnOutcome {
        driver.start(session, now: now)
    }

    /// One whole turn (see `TurnDriver.respond`).
    public func respond(to input: TurnInput, in session: Session) -> TurnOutcome {
        driver.respond(to: input, in: session)
    }

    private var driver: TurnDriver {
        TurnDriver(engine: self, configuration: .init(syncFrequency: configuration.syncFrequency,
                                                      maxTurns: configuration.maxTurns))
    }

    public func greet(_ session: Session, now: Date) -> TurnOutcome {
        guard session.phase == .notStarted else {
            // A retried answer webhook: say the opening again, change nothing.
            let opening = session.transcript.first { $0.role == .assistant }?.content ?? session.agent.greeting
            let action: TurnAction = session.isEnded ? .hangUp(session.endedBy ?? .unknown) : .gather
            return TurnOutcome(session: session, reply: opening, action: action, isReplay: true)
        }
        var session = session
        let phrases = phrasebook(forLanguage: session.agent.language)
        let time = Timestamp(now)
        var parts = [session.agent.greeting]
        if !session.pastCalls.isEmpty {
            let knownName = carriedOverName(session)
            if let name = knownName, let nameField = session.agent.dataToFill.first(where: { $0.kind == .personName }) {
                session.dataCollected[nameField.name] = name
            }
            parts.append(phrases.welcomeBack(name: knownName.flatMap { $0.split(separator: " ").first.map(String.init) }))
        }
        if let next = session.nextUnfilledField() {
            session.phase = .collecting
            session.currentField = next.name
            parts.append(next.prompt)
        } else {
            session.phase = .wrappingUp
            parts.append(session.agent.dataToFill.isEmpty ? phrases.openQuestion : phrases.anythingElse)
        }
        let reply = spokenLine(parts)
        session.append(.assistant, reply, at: time)
        session.version += 1
        session.lastActivityAt = time
        return TurnOutcome(session: session, reply: reply, action: .gather)
    }

    public func converse(_ input: TurnInput, in session: Session) -> EngineReply {
        let phrases = phrasebook(forLanguage: session.agent.language)
        var turn = Turn(session: session, phrases: phrases, configuration: configuration, input: input)
        let speech = cleaned(input.speech ?? "")
        if speech.isEmpty {
            turn.handleSilence()
        } else {
            turn.session.noInputStrikes = 0
            turn.session.append(.user, speech, at: Timestamp(input.now), confidence: input.confidence)
            turn.handleSpeech(speech)
        }
        return EngineReply(session: turn.session, lead: turn.lead, question: turn.question, endedBy: turn.endedBy)
    }

    /// The caller's words with control characters turned into spaces (they
    /// carry no speech and would end up in stored data), trimmed and capped.
    func cleaned(_ speech: String) -> String {
        var text = speech
        // Printable ASCII, the common case, has no control character to replace.
        if !speech.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            var scalars = String.UnicodeScalarView()
            for scalar in speech.unicodeScalars {
                let isControl = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                scalars.append(isControl ? " " : scalar)
            }
            text = String(scalars)
        }
        return String(text.trimmed.prefix(configuration.maxSpeechCharacters))
    }

    /// The name collected on the newest past call that has one.
    private func carriedOverName(_ session: Session) -> String? {
        for call in session.pastCalls {
            let keys = call.dataCollected.keys.sorted()
            for key in keys where FieldKind(fieldName: key, example: nil) == .personName {
                if let name = call.dataCollected[key], !name.isEmpty { return name }
            }
        }
        return nil
    }
}
