import Foundation

/// What an engine says in one turn: lines that answer what the caller said
/// (`lead`) and the question it ends on, kept apart so that the driver can
/// drop the question when it closes the call.
public struct EngineReply: Sendable {
    public var session: Session
    public var lead: [String]
    public var question: String?
    /// Set when the engine ends the call (a goodbye, three silent turns).
    public var endedBy: EndedBy?
    /// How the turn was worked out, for the turn's log line; nil for the rules alone.
    public var report: EngineReport?
    /// The engine (an LLM) decided to put the caller through to a person.
    public var wantsTransfer = false

    public init(session: Session, lead: [String] = [], question: String? = nil, endedBy: EndedBy? = nil) {
        self.session = session
        self.lead = lead
        self.question = question
        self.endedBy = endedBy
    }
}

/// Which engine answered a turn and what it took: logged by the turn, never spoken.
public struct EngineReport: Sendable, Hashable {
    public enum Engine: String, Sendable {
        case llm, rules
    }

    public var engine: Engine
    /// Why the LLM's answer was not used (timeout, rate_limited, unusable reply…).
    public var fallbackReason: String?
    /// The LLM's own time.
    public var latency: Duration?
    /// Fields the LLM's answer filled.
    public var stored: [String]
    /// Fields whose value from the LLM was refused (kind or `validation_pattern`).
    public var refused: [String]

    public init(engine: Engine, fallbackReason: String? = nil, latency: Duration? = nil, stored: [String] = [],
                refused: [String] = []) {
        self.engine = engine
        self.fallbackReason = fallbackReason
        self.latency = latency
        self.stored = stored
        self.refused = refused
    }
}

/// What every turn does, whatever engine answers it: a retried webhook is
/// answered as before (by its turn key), a call that already ended says
/// goodbye again, turns are counted and limited, the session's version and
/// activity move on, the reply joins the transcript, and a transcript sync is
/// asked for every `syncFrequency` lines and when the call ends. The engine
/// only works out what to say.
public struct TurnDriver: Sendable {
    public struct Configuration: Sendable {
        /// `SESSION_SYNC_FREQUENCY`: request a transcript sync every this many lines.
        public var syncFrequency: Int
        /// Caller turns (silent ones included) after which the call is closed.
        public var maxTurns: Int

        public init(syncFrequency: Int = 5, maxTurns: Int = 30) {
            self.syncFrequency = syncFrequency
            self.maxTurns = maxTurns
        }
    }

    public let engine: any ConversationEngine
    public let configuration: Configuration

    public init(engine: any ConversationEngine, configuration: Configuration = Configuration()) {
        self.engine = engine
        self.configuration = configuration
    }

    /// The opening of a call just answered (or the same again for a retried answer).
    public func start(_ session: Session, now: Date) -> TurnOutcome {
        var outcome = engine.greet(session, now: now)
        if !outcome.isReplay, outcome.session.takeSyncIfDue(frequency: configuration.syncFrequency) {
            outcome.jobs = [.syncTranscript]
        }
        return outcome
    }

    /// The session with the caller's words (or keys) in the transcript, for
    /// the turns the driver answers itself.
    func heard(_ input: TurnInput, in session: Session) -> Session {
        var session = session
        if let words = input.speech, !words.trimmed.isEmpty {
            session.append(.user, words.trimmed, at: Timestamp(input.now), confidence: input.confidence)
        }
        return session
    }

    /// How a transfer's `<Dial>` ended (Twilio's `DialCallStatus`): answered, the
    /// caller has spoken with a person and the agent's part is over; not
    /// answered, the agent comes back and offers to take a message. A callback
    /// Twilio repeats is answered the same way again.
    public func dialEnded(_ dialStatus: String, in session: Session, now: Date) -> TurnOutcome {
        let phrases = phrasebook(forLanguage: session.agent.language)
        guard var transfer = session.transfer, transfer.state == .dialing else {
            let action: TurnAction = session.isEnded ? .hangUp(session.endedBy ?? .user) : .gather
            let said = session.isEnded ? "" : (session.transcript.last { $0.role == .assistant }?.content ?? "")
            return TurnOutcome(session: session, reply: said, action: action, isReplay: true)
        }
        var session = session
        let time = Timestamp(now)
        session.version += 1
        session.lastActivityAt = time
        transfer.dialStatus = dialStatus
        var reply = ""
        var action = TurnAction.gather
        if dialStatus == "completed" || dialStatus == "answered" {
            transfer.state = .connected
            session.outcome = "transferred"
            session.phase = .ended
            session.endedBy = .user
            session.currentField = nil
            session.pendingConfirmation = nil
            action = .hangUp(.user)
        } else {
            transfer.state = .unanswered
            session.outcome = "transfer_unanswered"
            reply = phrases.transferUnanswered
            session.append(.assistant, reply, at: time)
        }
        session.transfer = transfer
        let jobs: [TurnJob] = session.takeSyncIfDue(frequency: session.isEnded ? 1 : configuration.syncFrequency)
            ? [.syncTranscript] : []
        return TurnOutcome(session: session, reply: reply, action: action, jobs: jobs)
    }

    /// A key of the agent's keypad menu: the same question again, or goodbye.
    func keypad(_ action: KeypadAction, in session: Session, phrases: any Phrasebook) -> EngineReply {
        switch action {
        case .transfer:
            // Pressed without a transfer_number to go to (validation prevents it), or during one.
            return EngineReply(session: session, lead: [phrases.askToRepeat])
        case .repeat:
            let last = session.transcript.last { $0.role == .assistant }?.content ?? phrases.askToRepeat
            return EngineReply(session: session, lead: [last])
        case .goodbye:
            return EngineReply(session: session, lead: [phrases.goodbye(name: session.callerFirstName)], endedBy: .user)
        }
    }

    /// The agent's `max_turns` (else the global limit) reached, or 90 % of its
    /// `max_duration_seconds` gone: the agent wraps up in this turn, before
    /// Twilio cuts the call at the time limit.
    func isOutOfTurnsOrTime(_ session: Session, now: Date) -> Bool {
        if session.turnCount >= (session.agent.maxTurns ?? configuration.maxTurns) { return true }
        guard let limit = session.agent.maxDurationSeconds else { return false }
        return now.timeIntervalSince(session.startedAt.date) >= 0.9 * Double(limit)
    }

    public func respond(to input: TurnInput, in session: Session) -> TurnOutcome {
        if let key = input.turnKey, let memo = session.lastTurn, memo.key == key {
            var action: TurnAction = memo.endedBy.map { .hangUp($0) } ?? .gather
            if let transfer = session.transfer, transfer.state == .dialing { action = .transfer(to: transfer.number) }
            return TurnOutcome(session: session, reply: memo.reply, action: action, isReplay: true)
        }
        let phrases = phrasebook(forLanguage: session.agent.language)
        if session.isEnded {
            return TurnOutcome(session: session, reply: phrases.alreadyEnded,
                               action: .hangUp(session.endedBy ?? .unknown), isReplay: true)
        }
        var session = session
        if session.phase == .notStarted {
            session = engine.greet(session, now: input.now).session
        }
        let time = Timestamp(input.now)
        session.turnCount += 1
        session.version += 1
        session.lastActivityAt = time

        var reply: EngineReply
        let menu = input.digits.flatMap { session.agent.keypad?[$0] }
        if let number = session.agent.transferNumber, session.transfer == nil,
           menu == .transfer || (menu == nil && Intents.person.matches(Utterance(input.speech ?? "").words)) {
            reply = EngineReply(session: heard(input, in: session), lead: [phrases.transferring])
            reply.session.transfer = Transfer(number: number)
        } else if session.transfer?.state == .unanswered, let words = input.speech, !words.trimmed.isEmpty {
            // The caller's message, after a transfer nobody took.
            reply = EngineReply(session: heard(input, in: session), lead: [phrases.messageTaken], endedBy: .systemComplete)
            reply.session.dataCollected["message"] = words.trimmed
        } else if let digits = input.digits, let menu {
            var pressed = input
            pressed.speech = "(\(digits))"
            reply = keypad(menu, in: heard(pressed, in: session), phrases: phrases)
        } else {
            reply = engine.converse(input.typedAsSpoken, in: session)
            if reply.wantsTransfer, reply.endedBy == nil, session.transfer == nil,
               let number = session.agent.transferNumber {
                reply.question = nil
                reply.session.transfer = Transfer(number: number)
            }
        }
        if reply.endedBy == nil, isOutOfTurnsOrTime(reply.session, now: input.now) {
            let complete = reply.session.hasAllRequiredData
            reply.question = nil
            reply.lead.append(phrases.turnLimitReached(dataComplete: complete))
            reply.endedBy = complete ? .systemComplete : .systemTimeout
        }

        var result = reply.session
        let text = spokenLine(reply.lead + [reply.question].compactMap { $0 })
        if let endedBy = reply.endedBy {
            result.phase = .ended
            result.endedBy = endedBy
            result.currentField = nil
            result.pendingConfirmation = nil
        }
        result.append(.assistant, text, at: time)
        var jobs: [TurnJob] = []
        // A call that ends flushes its transcript at once rather than waiting
        // for the next multiple of the sync frequency, which will never come.
        if result.takeSyncIfDue(frequency: reply.endedBy == nil ? configuration.syncFrequency : 1) {
            jobs.append(.syncTranscript)
        }
        result.lastTurn = input.turnKey.map { TurnMemo(key: $0, reply: text, endedBy: reply.endedBy) }
        var action: TurnAction = reply.endedBy.map { .hangUp($0) } ?? .gather
        if reply.endedBy == nil, session.transfer == nil, let started = result.transfer {
            action = .transfer(to: started.number)
        }
        var outcome = TurnOutcome(session: result, reply: text, action: action, jobs: jobs)
        outcome.report = reply.report
        return outcome
    }
}
