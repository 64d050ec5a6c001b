/// What a new call knows about an earlier call between the same agent and
/// number: a compact digest of its record, kept in the session so that a turn
/// never has to read DynamoDB.
public struct PastCall: Codable, Sendable, Hashable {
    public var callSid: String
    public var startedAt: Timestamp
    public var status: CallStatus
    public var endedBy: EndedBy?
    public var durationSeconds: Int?
    public var dataCollected: [String: String]
    /// One line saying what the call was about, for the agent (and an LLM prompt).
    public var summary: String

    public init(
        callSid: String, startedAt: Timestamp, status: CallStatus, endedBy: EndedBy? = nil,
        durationSeconds: Int? = nil, dataCollected: [String: String] = [:], summary: String
    ) {
        self.callSid = callSid
        self.startedAt = startedAt
        self.status = status
        self.endedBy = endedBy
        self.durationSeconds = durationSeconds
        self.dataCollected = dataCollected
        self.summary = summary
    }

    /// Digests a call record. The summary is the LLM's analysis when there is
    /// one; else it lists the collected data (sorted by field name, so it is
    /// stable) or, when nothing was collected, the caller's first words, cut to
    /// 200 characters.
    public init(record: CallRecord) {
        let summary: String
        if let analysis = record.analysis, !analysis.summary.isEmpty {
            summary = analysis.summary
        } else if !record.dataCollected.isEmpty {
            summary = record.dataCollected.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
        } else if let first = record.conversationHistory.first(where: { $0.role == .user }) {
            summary = first.content.count > 200 ? String(first.content.prefix(200)) + "…" : first.content
        } else {
            summary = "no conversation"
        }
        self.init(
            callSid: record.callSid, startedAt: record.startedAt, status: record.status, endedBy: record.endedBy,
            durationSeconds: record.durationSeconds, dataCollected: record.dataCollected, summary: summary)
    }

    enum CodingKeys: String, CodingKey {
        case callSid = "call_sid"
        case startedAt = "started_at"
        case status
        case endedBy = "ended_by"
        case durationSeconds = "duration_seconds"
        case dataCollected = "data_collected"
        case summary
    }
}
