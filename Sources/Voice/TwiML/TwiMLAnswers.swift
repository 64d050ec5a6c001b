/// The answers the voice webhooks give, built from an agent and an engine outcome.
extension TwiML {
    /// The answer to an engine outcome: the reply spoken inside a `<Gather>`
    /// whose action carries the next turn key, or the reply followed by `<Hangup/>`.
    ///
    /// - Parameter actionURL: the public URL of process-speech (query allowed);
    ///   `turn=<session.nextTurnKey>` is appended so a retried webhook is recognised.
    public static func answer(to outcome: TurnOutcome, actionURL: String, dialActionURL: String = "") -> TwiML {
        let agent = outcome.session.agent
        switch outcome.action {
        case .hangUp:
            return hangUp(saying: outcome.reply, agent: agent)
        case .transfer(let number):
            // Twilio comes back to dial-status when the <Dial> ends, answered or not.
            return TwiML([.say(Say(outcome.reply, voice: agent.voice, language: agent.language)),
                          .dial(number: number, action: turnAction(dialActionURL, key: outcome.session.nextTurnKey),
                                timeout: transferRingSeconds)])
        case .gather:
            return turn(saying: outcome.reply, agent: agent, action: turnAction(actionURL, key: outcome.session.nextTurnKey),
                        hints: hints(for: outcome.session))
        }
    }

    /// How long a transfer rings before Twilio gives up on it.
    public static let transferRingSeconds = 20

    /// The operator interrupted the call (`POST /interrupt-call`): Twilio drops
    /// what it was playing and runs this instead, the operator's words if any,
    /// then the same listening `<Gather>` as a turn, for the turn keyed `key`.
    public static func listenAgain(saying message: String?, session: Session, actionURL: String, key: String) -> TwiML {
        turn(saying: message, agent: session.agent, action: turnAction(actionURL, key: key), hints: hints(for: session))
    }

    /// process-speech's URL (query allowed) with `turn=<key>` appended, so a
    /// retried webhook is recognised.
    static func turnAction(_ actionURL: String, key: String) -> String {
        actionURL + (actionURL.utf8.contains(UInt8(ascii: "?")) ? "&" : "?") + "turn=" + key
    }

    /// Say the reply while listening for the caller's answer (just listen when
    /// there is nothing to say). If Twilio ever falls out of the `<Gather>`
    /// without posting, the `<Redirect>` posts to the same action (as a silent
    /// turn) instead of letting the call drop.
    public static func turn(saying reply: String?, agent: Agent, action: String, hints: [String] = []) -> TwiML {
        let prompts: [Verb] = reply.map { $0.isEmpty ? [] : [.say(Say($0, voice: agent.voice, language: agent.language))] } ?? []
        // Speech or keys: numbers may be typed, and the agent's keypad menu pressed.
        var gather = Gather(action: action, input: "dtmf speech", language: agent.language, hints: hints, prompts: prompts)
        gather.finishOnKey = "#"
        return TwiML([.gather(gather), .redirect(url: action, method: "POST")])
    }

    /// Say the words, then hang up.
    public static func hangUp(saying text: String, agent: Agent) -> TwiML {
        guard !text.isEmpty else { return TwiML([.hangup]) }
        return TwiML([.say(Say(text, voice: agent.voice, language: agent.language)), .hangup])
    }

    /// A spoken apology and a clean hang-up, for a webhook that cannot be served
    /// (bad input, unknown CallSid, a failure on our side), in the agent's
    /// language when the agent is known, else in English.
    public static func apology(_ reason: ApologyReason, agent: Agent? = nil) -> TwiML {
        let language = agent?.language ?? "en-US"
        let text = phrasebook(forLanguage: language).apology(reason)
        return TwiML([.say(Say(text, voice: agent?.voice ?? "Polly.Joanna", language: language)), .hangup])
    }

    /// Recogniser hints for the question the session is asking: Twilio's class
    /// tokens for digit and letter sequences, plus the words used to spell addresses.
    public static func hints(for session: Session) -> [String] {
        guard session.pendingConfirmation == nil, let field = session.currentDataField else { return [] }
        switch field.kind {
        case .phone: return ["$OOV_CLASS_DIGIT_SEQUENCE"]
        case .email: return ["$OOV_CLASS_ALPHANUMERIC_SEQUENCE", "at", "dot", "dot com", "underscore", "dash"]
        case .contact: return ["$OOV_CLASS_ALPHANUMERIC_SEQUENCE", "$OOV_CLASS_DIGIT_SEQUENCE", "at", "dot", "dot com"]
        case .personName, .freeText: return []
        }
    }
}
