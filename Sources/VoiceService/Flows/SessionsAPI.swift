import Common
import Foundation
import Logging
import Voice

/// One line of `GET /sessions`.
struct SessionSummary: Encodable {
    let callSid: String
    let agentId: String
    let agentName: String
    let direction: String
    let to: String
    let from: String
    let startedAt: Timestamp
    let lastActivityAt: Timestamp
    let messages: Int
    let phase: String
    let dataCollected: [String: String]

    init(_ session: Session) {
        callSid = session.callSid
        agentId = session.agent.agentId
        agentName = session.agent.name
        direction = session.direction.rawValue
        to = session.to
        from = session.from
        startedAt = session.startedAt
        lastActivityAt = session.lastActivityAt
        messages = session.transcript.count
        phase = session.phase.rawValue
        dataCollected = session.dataCollected
    }

    enum CodingKeys: String, CodingKey {
        case direction, to, from, messages, phase
        case callSid = "call_sid"
        case agentId = "agent_id"
        case agentName = "agent_name"
        case startedAt = "started_at"
        case lastActivityAt = "last_activity_at"
        case dataCollected = "data_collected"
    }
}

struct SessionList: Encodable {
    let count: Int
    let sessions: [SessionSummary]
}

extension VoiceRuntime: AccessControlled {
    public func guardian(for access: Access) -> (any RequestGuard)? {
        switch access {
        case .open: nil
        case .operatorKey: operatorAuth
        case .user: Refusal(.unauthorized("the voice API has no user accounts; use Authorization: Bearer <API_KEY>"))
        }
    }
}

extension VoiceRuntime {
    /// `GET /sessions` (live calls) and `GET /session/{call_sid}` (one, whole).
    public static var sessionRoutes: Router<VoiceRuntime> {
        var routes = Router<VoiceRuntime>()
        routes.on("GET", "/sessions", access: .operatorKey) { _, voice in
            // A call Twilio reported over is not live, even while its finalization waits.
            let all = try voice.sessions.all().filter { $0.finalStatus == nil }.sorted { $0.startedAt > $1.startedAt }
            return try .json(SessionList(count: all.count, sessions: all.map(SessionSummary.init)))
        }
        routes.on("GET", "/session/{call_sid}", access: .operatorKey) { call, voice in
            let callSid = try VoiceRuntime.pathCallSid(call)
            guard let session = try voice.sessions.session(callSid) else {
                throw HTTPError.notFound("no live session for call \(callSid)")
            }
            return try .json(session)
        }
        return routes
    }
}
