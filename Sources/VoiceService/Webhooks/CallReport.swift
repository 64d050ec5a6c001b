import Foundation
import Voice

/// The JSON an agent's `webhook_url` receives once a call is over: the call's
/// final record (transcript, collected data, recording URL, analysis when the
/// LLM wrote one), how it turned out, and which agent took it.
public struct CallReport: Encodable, Sendable {
    public static let eventType = "call.ended"

    /// The same for every delivery of one call's report: receivers deduplicate on it.
    public let id: String
    public let type = CallReport.eventType
    /// When the call ended: the same on every delivery, like `id`.
    public let createdAt: Timestamp
    public let outcome: String
    public let call: CallRecord
    public let agent: AgentReference

    public struct AgentReference: Encodable, Sendable {
        public let agentId: String
        public let name: String

        enum CodingKeys: String, CodingKey {
            case agentId = "agent_id"
            case name
        }
    }

    public init(call: CallRecord, agent: Agent, now: Date = Date()) {
        id = Self.idempotencyKey(callSid: call.callSid)
        createdAt = call.endedAt ?? Timestamp(now)
        outcome = Self.outcome(of: call)
        self.call = call
        self.agent = AgentReference(agentId: agent.agentId, name: agent.name)
    }

    public static func idempotencyKey(callSid: String) -> String { "\(eventType).\(callSid)" }

    /// One word for dashboards: Twilio's final status, unless the call was
    /// answered, then whether a machine took it.
    static func outcome(of call: CallRecord) -> String {
        guard call.status == .completed else { return call.status.rawValue }
        if call.answeredBy?.hasPrefix("machine") == true { return "answered_by_machine" }
        return "completed"
    }

    enum CodingKeys: String, CodingKey {
        case id, type, outcome, call, agent
        case createdAt = "created_at"
    }

    public func body() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}
