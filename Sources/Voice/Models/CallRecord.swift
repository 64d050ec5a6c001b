/// A call as `VoiceAssistant_Calls` stores it: created when the call is answered,
/// updated by periodic syncs, completed by finalization.
///
/// `recipientPhone` is always the customer's number, whichever way the call went
/// (the `To` of an outbound call, the `From` of an inbound one), and `callerPhone`
/// is the other end (our Twilio number). That way `AgentRecipientIndex` finds the
/// past calls between an agent and a person in both directions.
public struct CallRecord: Codable, Sendable, Hashable {
    public var callSid: String
    public var agentId: String
    public var recipientPhone: String
    public var callerPhone: String
    public var direction: CallDirection
    public var status: CallStatus
    public var startedAt: Timestamp
    public var endedAt: Timestamp?
    public var durationSeconds: Int?
    public var endedBy: EndedBy?
    public var conversationHistory: [ConversationMessage]
    public var dataCollected: [String: String]
    /// Twilio's URL of the recording (without a media extension).
    public var callRecordingUrl: String?
    public var recordingSid: String?
    /// `s3://bucket/key` of the archived recording.
    public var s3RecordingUrl: String?
    /// Twilio's machine-detection verdict (`human`, `machine_start`, …).
    public var answeredBy: String?
    /// `agent_id#recipient_phone#started_at`, the sort key of `AgentRecipientIndex`.
    public var agentRecipientKey: String
    public var messageCount: Int
    /// The session version this record reflects; a sync writes only when its
    /// version is newer, so an old sync can never overwrite a newer one.
    public var syncVersion: Int
    public var updatedAt: Timestamp?
    /// Written by the worker after the call, when an LLM is configured.
    public var analysis: CallAnalysis?
    /// How the call turned out beyond its status (see `Session.outcome`).
    public var outcome: String?
    /// The number the caller was put through to, and how the `<Dial>` ended
    /// (Twilio's `DialCallStatus`).
    public var transferredTo: String?
    public var transferOutcome: String?

    public init(
        callSid: String, agentId: String, recipientPhone: String, callerPhone: String, direction: CallDirection,
        status: CallStatus, startedAt: Timestamp, endedAt: Timestamp? = nil, durationSeconds: Int? = nil,
        endedBy: EndedBy? = nil, conversationHistory: [ConversationMessage] = [], dataCollected: [String: String] = [:],
        callRecordingUrl: String? = nil, recordingSid: String? = nil, s3RecordingUrl: String? = nil,
        answeredBy: String? = nil, syncVersion: Int = 0, updatedAt: Timestamp? = nil
    ) {
        self.callSid = callSid
        self.agentId = agentId
        self.recipientPhone = recipientPhone
        self.callerPhone = callerPhone
        self.direction = direction
        self.status = status
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.durationSeconds = durationSeconds
        self.endedBy = endedBy
        self.conversationHistory = conversationHistory
        self.dataCollected = dataCollected
        self.callRecordingUrl = callRecordingUrl
        self.recordingSid = recordingSid
        self.s3RecordingUrl = s3RecordingUrl
        self.answeredBy = answeredBy
        self.agentRecipientKey = CallRecord.agentRecipientKey(
            agentId: agentId, recipientPhone: recipientPhone, startedAt: startedAt)
        self.messageCount = conversationHistory.count
        self.syncVersion = syncVersion
        self.updatedAt = updatedAt
    }

    /// The record a live session implies: what the answer webhook creates and
    /// what a sync or finalization writes.
    public init(session: Session, status: CallStatus) {
        self.init(
            callSid: session.callSid, agentId: session.agent.agentId, recipientPhone: session.recipientPhone,
            callerPhone: session.callerPhone, direction: session.direction, status: status,
            startedAt: session.startedAt, endedBy: session.endedBy, conversationHistory: session.transcript,
            dataCollected: session.dataCollected, answeredBy: session.answeredBy, syncVersion: session.version,
            updatedAt: session.lastActivityAt)
        outcome = session.outcome
        transferredTo = session.transfer?.number
        transferOutcome = session.transfer?.dialStatus
    }

    /// Twilio's `From` and `To` as the record's parties: the customer is the
    /// callee of an outbound call and the caller of an inbound one.
    public static func parties(direction: CallDirection, from: String, to: String) -> (recipientPhone: String, callerPhone: String) {
        switch direction {
        case .outbound: (recipientPhone: to, callerPhone: from)
        case .inbound: (recipientPhone: from, callerPhone: to)
        }
    }

    /// Builds `agent_recipient_key`.
    public static func agentRecipientKey(agentId: String, recipientPhone: String, startedAt: Timestamp) -> String {
        "\(agentId)#\(recipientPhone)#\(startedAt)"
    }

    /// The prefix that selects every call between an agent and a number in
    /// `AgentRecipientIndex` (`begins_with(agent_recipient_key, :prefix)`).
    public static func agentRecipientPrefix(agentId: String, recipientPhone: String) -> String {
        "\(agentId)#\(recipientPhone)#"
    }

    enum CodingKeys: String, CodingKey {
        case callSid = "call_sid"
        case agentId = "agent_id"
        case recipientPhone = "recipient_phone"
        case callerPhone = "caller_phone"
        case direction, status
        case startedAt = "started_at"
        case endedAt = "ended_at"
        case durationSeconds = "duration_seconds"
        case endedBy = "ended_by"
        case conversationHistory = "conversation_history"
        case dataCollected = "data_collected"
        case callRecordingUrl = "call_recording_url"
        case recordingSid = "recording_sid"
        case s3RecordingUrl = "s3_recording_url"
        case answeredBy = "answered_by"
        case agentRecipientKey = "agent_recipient_key"
        case messageCount = "message_count"
        case syncVersion = "sync_version"
        case updatedAt = "updated_at"
        case analysis, outcome
        case transferredTo = "transferred_to"
        case transferOutcome = "transfer_outcome"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        callSid = try container.decode(String.self, forKey: .callSid)
        agentId = try container.decode(String.self, forKey: .agentId)
        recipientPhone = try container.decode(String.self, forKey: .recipientPhone)
        callerPhone = try container.decodeIfPresent(String.self, forKey: .callerPhone) ?? ""
        direction = try container.decodeIfPresent(CallDirection.self, forKey: .direction) ?? .outbound
        status = try container.decode(CallStatus.self, forKey: .status)
        startedAt = try container.decode(Timestamp.self, forKey: .startedAt)
        endedAt = try container.decodeIfPresent(Timestamp.self, forKey: .endedAt)
        durationSeconds = try container.decodeIfPresent(Int.self, forKey: .durationSeconds)
        endedBy = try container.decodeIfPresent(EndedBy.self, forKey: .endedBy)
        conversationHistory = try container.decodeIfPresent([ConversationMessage].self, forKey: .conversationHistory) ?? []
        dataCollected = try container.decodeIfPresent([String: String].self, forKey: .dataCollected) ?? [:]
        callRecordingUrl = try container.decodeIfPresent(String.self, forKey: .callRecordingUrl)
        recordingSid = try container.decodeIfPresent(String.self, forKey: .recordingSid)
        s3RecordingUrl = try container.decodeIfPresent(String.self, forKey: .s3RecordingUrl)
        answeredBy = try container.decodeIfPresent(String.self, forKey: .answeredBy)
        agentRecipientKey = try container.decodeIfPresent(String.self, forKey: .agentRecipientKey)
            ?? CallRecord.agentRecipientKey(agentId: agentId, recipientPhone: recipientPhone, startedAt: startedAt)
        messageCount = try container.decodeIfPresent(Int.self, forKey: .messageCount) ?? conversationHistory.count
        syncVersion = try container.decodeIfPresent(Int.self, forKey: .syncVersion) ?? 0
        updatedAt = try container.decodeIfPresent(Timestamp.self, forKey: .updatedAt)
        analysis = try container.decodeIfPresent(CallAnalysis.self, forKey: .analysis)
        outcome = try container.decodeIfPresent(String.self, forKey: .outcome)
        transferredTo = try container.decodeIfPresent(String.self, forKey: .transferredTo)
        transferOutcome = try container.decodeIfPresent(String.self, forKey: .transferOutcome)
    }
}
