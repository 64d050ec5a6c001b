import Foundation

/// What the caller did in one turn: Twilio's `SpeechResult` and `Confidence`
/// from a `<Gather>`, plus the context a pure engine cannot read for itself.
public struct TurnInput: Sendable {
    /// What the caller said; nil or blank when the gather heard nothing.
    public var speech: String?
    /// Twilio's `Confidence` (0…1); nil when absent, which counts as confident.
    public var confidence: Double?
    /// The current time; engines never read the clock.
    public var now: Date
    /// The zone in which to tell the caller the time and date.
    public var timeZone: TimeZone
    /// Identifies this turn across Twilio's retries of the same webhook.
    ///
    /// Handlers put `session.nextTurnKey` into the `<Gather action>` URL they
    /// answer with (e.g. `…/voice/process-speech?turn=7`) and pass that query
    /// parameter back here. A retried request carries the same key as the turn
    /// already processed, and the engine answers it again without appending
    /// anything. Nil disables the check (a caller may legitimately say "yes"
    /// twice, so the words themselves cannot serve as the key).
    public var turnKey: String?
    /// When the answer is due (counted from the webhook's arrival); an engine
    /// that calls out must have its reply by then. Nil: no deadline.
    public var deadline: ContinuousClock.Instant?
    /// Keys the caller pressed (Twilio's `Digits`), `#` excluded.
    public var digits: String?

    public init(speech: String?, confidence: Double? = nil, now: Date, timeZone: TimeZone, turnKey: String? = nil,
                deadline: ContinuousClock.Instant? = nil, digits: String? = nil) {
        self.digits = digits.map { $0.filter { $0 != "#" } }.flatMap { $0.isEmpty ? nil : $0 }
        self.speech = speech
        self.confidence = confidence
        self.now = now
        self.timeZone = timeZone
        self.turnKey = turnKey
        self.deadline = deadline
    }
}

/// What the handler does after speaking the reply.
public enum TurnAction: Sendable, Hashable {
    /// Listen for the caller's next words (`<Gather>`).
    case gather
    /// Say the reply and hang up; the reason is also in the session's `endedBy`.
    case hangUp(EndedBy)
    /// Say the reply and put the caller through to a person (`<Dial>`).
    case transfer(to: String)
}

/// Background work a turn calls for, to be enqueued in the same SessionDB
/// transaction that stores the new session.
public enum TurnJob: Sendable, Hashable {
    /// Write the transcript and collected data to the call record: every
    /// `SESSION_SYNC_FREQUENCY` lines, and once more when the agent hangs up.
    case syncTranscript
}

/// The result of a turn: the next state and what to tell Twilio.
public struct TurnOutcome: Sendable {
    public var session: Session
    /// The words to speak (already in the agent's language).
    public var reply: String
    public var action: TurnAction
    public var jobs: [TurnJob]
    /// True when the turn was a retry of one already handled: the session is
    /// unchanged and need not be written again.
    public var isReplay: Bool
    /// How the engine worked the turn out (see `EngineReply.report`).
    public var report: EngineReport?

    public init(session: Session, reply: String, action: TurnAction, jobs: [TurnJob] = [], isReplay: Bool = false) {
        self.session = session
        self.reply = reply
        self.action = action
        self.jobs = jobs
        self.isReplay = isReplay
    }
}

/// Turns what a caller says into what the agent says next. `TurnDriver` does
/// the bookkeeping every turn shares (retries, turn limit, syncs); an engine
/// only works out the conversation.
///
/// Engines are pure: the whole state is the `Session` they are given and
/// return, and they never touch a socket, a file or a clock. The built-in
/// `RuleEngine` needs nothing else; an engine backed by an LLM may call out
/// (blocking, within the input's deadline) and should fall back to `RuleEngine`
/// when that fails, so a turn always gets an answer.
public protocol ConversationEngine: Sendable {
    /// The opening line of a call just answered (greeting, welcome back, first
    /// question), appended to the transcript. Calling it again on a started
    /// session repeats the opening without changing anything (`isReplay`), as a
    /// retried answer webhook needs.
    func greet(_ session: Session, now: Date) -> TurnOutcome

    /// Works out one caller turn: the caller's words (if any) joined to the
    /// transcript, the state they change, and what to say. The session given is
    /// already counted as a turn; the driver appends the reply.
    func converse(_ input: TurnInput, in session: Session) -> EngineReply
}
