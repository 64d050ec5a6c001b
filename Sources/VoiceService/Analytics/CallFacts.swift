import AWS
import Voice

/// What analytics needs of one call: a projection of its record.
public struct CallFacts: Sendable, Equatable {
    public var agentId: String
    public var status: String
    /// `started_at` as stored: its first ten characters are the UTC day.
    public var startedAt: String
    public var durationSeconds: Double?
    public var endedBy: String?
    public var answeredBy: String?
    public var collectedFields: Set<String>
    /// `voicemail_left`, `machine_no_message`, `fax`, or nil.
    public var outcome: String?

    public init(agentId: String, status: String, startedAt: String, durationSeconds: Double? = nil,
                endedBy: String? = nil, answeredBy: String? = nil, collectedFields: Set<String> = []) {
        self.agentId = agentId
        self.status = status
        self.startedAt = startedAt
        self.durationSeconds = durationSeconds
        self.endedBy = endedBy
        self.answeredBy = answeredBy
        self.collectedFields = collectedFields
    }

    /// The attributes to project when reading facts from the Calls table.
    public static let attributes = ["agent_id", "status", "started_at", "duration_seconds", "ended_by",
                                    "answered_by", "data_collected", "outcome"]

    /// Nil for an item without an agent or a start (nothing to file it under).
    public init?(item: DynamoDBItem) {
        guard let agent = item["agent_id"]?.stringValue, !agent.isEmpty,
              let started = item["started_at"]?.stringValue, started.utf8.count >= 10
        else { return nil }
        var collected = Set<String>()
        if case .map(let data)? = item["data_collected"] {
            for (field, value) in data where !(value.stringValue ?? "").isEmpty { collected.insert(field) }
        }
        var duration: Double?
        if case .number(let text)? = item["duration_seconds"] { duration = Double(text) }
        self.init(agentId: agent, status: item["status"]?.stringValue ?? "unknown", startedAt: started,
                  durationSeconds: duration, endedBy: item["ended_by"]?.stringValue,
                  answeredBy: item["answered_by"]?.stringValue, collectedFields: collected)
        outcome = item["outcome"]?.stringValue
    }

    var day: String { String(startedAt.prefix(10)) }

    /// Twilio's machine-detection verdicts for a machine: `machine_start`, `machine_end_beep`, …
    var answeredByMachine: Bool { answeredBy?.hasPrefix("machine") ?? false }
}
