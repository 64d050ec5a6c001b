/// Where a call's conversation stands.
public enum ConversationPhase: String, Codable, Sendable {
    /// Answered, greeting not yet produced.
    case notStarted = "not_started"
    /// Asking for the agent's `data_to_fill` fields, one at a time.
    case collecting
    /// Every field is done; the agent has asked whether there is anything else.
    case wrappingUp = "wrapping_up"
    /// The agent has said goodbye; nothing the caller says changes the session.
    case ended
}

/// A question the agent asked to make sure it heard right, awaiting yes or no.
public struct PendingConfirmation: Codable, Sendable, Hashable {
    public enum Subject: String, Codable, Sendable {
        /// "I heard <value> for <field>, is that right?"
        case fieldValue = "field_value"
        /// "Did you want to end the call?"
        case endCall = "end_call"
    }

    public var subject: Subject
    public var field: String?
    public var value: String?

    public init(subject: Subject, field: String? = nil, value: String? = nil) {
        self.subject = subject
        self.field = field
        self.value = value
    }
}

/// The answer given to the last turn, kept so that a webhook Twilio retries is
/// answered the same way instead of being processed twice.
public struct TurnMemo: Codable, Sendable, Hashable {
    /// The key the caller of the engine supplied with the turn (see `TurnInput.turnKey`).
    public var key: String
    public var reply: String
    /// Nil when the call went on; the reason when the turn hung up.
    public var endedBy: EndedBy?

    public init(key: String, reply: String, endedBy: EndedBy? = nil) {
        self.key = key
        self.reply = reply
        self.endedBy = endedBy
    }

    enum CodingKeys: String, CodingKey {
        case key, reply
        case endedBy = "ended_by"
    }
}

/// The whole in-call state, kept in SessionDB between webhooks: everything a turn
/// needs, so that a turn touches nothing else.
public struct Session: Codable, Sendable, Hashable {
    public var callSid: String
    /// The agent as it was when the call was answered; later edits to the agent
    /// do not change a call in progress.
    public var agent: Agent
    public var direction: CallDirection
    /// The customer's number (see `CallRecord.recipientPhone`).
    public var recipientPhone: String
    /// Our end of the call.
    public var callerPhone: String
    /// The last calls between this agent and this number, newest first (at most 5).
    public var pastCalls: [PastCall]
    public var transcript: [ConversationMessage]
    public var dataCollected: [String: String]
    /// Optional fields the caller declined or could not give; not asked again.
    public var skippedFields: [String]
    public var phase: ConversationPhase
    /// The `data_to_fill` field being asked for, while collecting.
    public var currentField: String?
    /// Failed attempts at the current field (extraction or validation).
    public var fieldAttempts: Int
    public var pendingConfirmation: PendingConfirmation?
    /// Consecutive turns without speech.
    public var noInputStrikes: Int
    /// Consecutive turns heard with low confidence.
    public var lowConfidenceStrikes: Int
    /// Caller turns handled, with or without speech.
    public var turnCount: Int
    /// Transcript lines appended since the last sync job was requested.
    public var messagesSinceSync: Int
    /// Grows by one with every change; syncs carry it so an older one never wins.
    public var version: Int
    public var startedAt: Timestamp
    public var lastActivityAt: Timestamp
    public var endedBy: EndedBy?
    /// Twilio's machine-detection verdict, when known.
    public var answeredBy: String?
    public var lastTurn: TurnMemo?
    /// Twilio's final status, once it reported the call over: the session then
    /// only waits for the worker to finalize it, and is no longer a live call.
    public var finalStatus: CallStatus?
    /// How the call turned out beyond its status: `voicemail_left`,
    /// `machine_no_message`, `fax`.
    public var outcome: String?
    /// The caller's transfer to a person, once asked for.
    public var transfer: Transfer?

    /// A session for a call just answered, before its greeting.
    public init(
        callSid: String, agent: Agent, direction: CallDirection, recipientPhone: String, callerPhone: String,
        pastCalls: [PastCall] = [], startedAt: Timestamp, answeredBy: String? = nil
    ) {
        self.callSid = callSid
        self.agent = agent
        self.direction = direction
        self.recipientPhone = recipientPhone
        self.callerPhone = callerPhone
        self.pastCalls = Array(pastCalls.sorted { $0.startedAt > $1.startedAt }.prefix(5))
        self.transcript = []
        self.dataCollected = [:]
        self.skippedFields = []
        self.phase = .notStarted
        self.currentField = nil
        self.fieldAttempts = 0
        self.pendingConfirmation = nil
        self.noInputStrikes = 0
        self.lowConfidenceStrikes = 0
        self.turnCount = 0
        self.messagesSinceSync = 0
        self.version = 0
        self.startedAt = startedAt
        self.lastActivityAt = startedAt
        self.endedBy = nil
        self.answeredBy = answeredBy
        self.lastTurn = nil
        self.finalStatus = nil
        self.outcome = nil
        self.transfer = nil
    }

    /// Rebuilds the session of a call in progress from its record, for a host
    /// that receives a turn of a call it did not answer (or lost its store):
    /// the transcript and collected data come back, and the conversation resumes
    /// at the first field still missing.
    public init(recovering record: CallRecord, agent: Agent, pastCalls: [PastCall] = [], now: Timestamp) {
        self.init(
            callSid: record.callSid, agent: agent, direction: record.direction, recipientPhone: record.recipientPhone,
            callerPhone: record.callerPhone, pastCalls: pastCalls, startedAt: record.startedAt,
            answeredBy: record.answeredBy)
        transcript = record.conversationHistory
        dataCollected = record.dataCollected
        version = record.syncVersion
        lastActivityAt = now
        turnCount = record.conversationHistory.filter { $0.role == .user }.count
        if let next = nextUnfilledField() {
            phase = .collecting
            currentField = next.name
        } else {
            phase = .wrappingUp
        }
    }

    /// Twilio's `From` of the call (our number when we dialled out).
    public var from: String { direction == .outbound ? callerPhone : recipientPhone }

    /// Twilio's `To` of the call (our number when the customer called in).
    public var to: String { direction == .outbound ? recipientPhone : callerPhone }

    /// Whether the agent has said goodbye.
    public var isEnded: Bool { phase == .ended }

    /// The field being asked for, with its definition.
    public var currentDataField: DataField? {
        currentField.flatMap { agent.field(named: $0) }
    }

    /// The first field, in collection order, that has no value yet and was not skipped.
    public func nextUnfilledField() -> DataField? {
        agent.dataToFill.first { dataCollected[$0.name] == nil && !skippedFields.contains($0.name) }
    }

    /// The first word of the caller's name, to address them by.
    public var callerFirstName: String? {
        callerName.flatMap { $0.split(separator: " ").first.map(String.init) }
    }

    /// The caller's name, once a name field holds it.
    public var callerName: String? {
        agent.dataToFill.first { $0.kind == .personName && dataCollected[$0.name] != nil }
            .flatMap { dataCollected[$0.name] }
    }

    /// Whether every required field has a value.
    public var hasAllRequiredData: Bool {
        agent.dataToFill.allSatisfy { !$0.required || dataCollected[$0.name] != nil }
    }

    /// The key a handler should put in the next `<Gather action>` URL so that
    /// Twilio's retry of that turn can be recognised (see `TurnInput.turnKey`).
    public var nextTurnKey: String { String(version) }

    /// Appends a line to the transcript and counts it towards the next sync.
    public mutating func append(_ role: MessageRole, _ content: String, at time: Timestamp, confidence: Double? = nil) {
        transcript.append(ConversationMessage(role: role, content: content, timestamp: time, confidence: confidence))
        messagesSinceSync += 1
    }

    /// Whether enough lines accumulated for a sync (every `frequency` lines);
    /// if so the count starts again, so the caller must enqueue the sync in the
    /// same transaction that stores this session.
    public mutating func takeSyncIfDue(frequency: Int) -> Bool {
        guard messagesSinceSync >= max(1, frequency) else { return false }
        messagesSinceSync = 0
        return true
    }

    enum CodingKeys: String, CodingKey {
        case callSid = "call_sid"
        case agent, direction, transcript, phase, version
        case recipientPhone = "recipient_phone"
        case callerPhone = "caller_phone"
        case pastCalls = "past_calls"
        case dataCollected = "data_collected"
        case skippedFields = "skipped_fields"
        case currentField = "current_field"
        case fieldAttempts = "field_attempts"
        case pendingConfirmation = "pending_confirmation"
        case noInputStrikes = "no_input_strikes"
        case lowConfidenceStrikes = "low_confidence_strikes"
        case turnCount = "turn_count"
        case messagesSinceSync = "messages_since_sync"
        case startedAt = "started_at"
        case lastActivityAt = "last_activity_at"
        case endedBy = "ended_by"
        case answeredBy = "answered_by"
        case lastTurn = "last_turn"
        case finalStatus = "final_status"
        case outcome, transfer
    }
}
