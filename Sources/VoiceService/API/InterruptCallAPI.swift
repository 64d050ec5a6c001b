import Common
import Foundation
import Logging
import Voice

/// `POST /interrupt-call/{call_sid}` body: optional, `{"message": text}`.
struct InterruptRequest {
    /// The longest message the operator may have the agent say.
    static let maxMessageCharacters = 500

    /// What the agent says before listening again; nil to just listen.
    let message: String?

    /// An empty body is no message; anything else must be a JSON object whose
    /// only field is an optional string `message`.
    init(_ request: Request) throws {
        guard !request.body.isEmpty else {
            message = nil
            return
        }
        let object = try request.jsonObject()
        if let unknown = object.keys.sorted().first(where: { $0 != "message" }) {
            throw HTTPError.badRequest("unknown field '\(unknown)'; the body takes only 'message'")
        }
        switch object["message"] {
        case nil, is NSNull:
            message = nil
        case let text as String:
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard trimmed.count <= Self.maxMessageCharacters else {
                throw HTTPError.badRequest("field 'message' is longer than \(Self.maxMessageCharacters) characters")
            }
            message = trimmed.isEmpty ? nil : trimmed
        default:
            throw HTTPError.badRequest("field 'message' must be a string")
        }
    }
}

struct InterruptAnswer: Encodable {
    let success: Bool
    let callSid: String
    let status: String

    enum CodingKeys: String, CodingKey {
        case success, status
        case callSid = "call_sid"
    }
}

extension VoiceRuntime {
    /// `POST /interrupt-call/{call_sid}`: the operator stops what a live call is
    /// playing; the agent says the operator's message, if any, and listens again.
    public static var interruptRoutes: Router<VoiceRuntime> {
        var routes = Router<VoiceRuntime>()
        routes.on("POST", "/interrupt-call/{call_sid}", access: .operatorKey) { call, voice in
            try voice.interruptCall(call)
        }
        return routes
    }

    /// Twilio's call update runs first, outside any transaction; only once
    /// Twilio took it does the session record the message (and move its version
    /// on, past the turn key the new `<Gather>` carries), so a refused update
    /// changes nothing here.
    private func interruptCall(_ call: Router<VoiceRuntime>.Call) throws -> Response {
        let callSid = call.parameters["call_sid"]
        let logger = call.context.logger
        let message = try InterruptRequest(call.request).message
        // A call Twilio reported over is not live, even while its finalization waits.
        guard Self.isCallSid(callSid), let session = try sessions.session(callSid), session.finalStatus == nil else {
            throw HTTPError.notFound("no live call '\(callSid)'")
        }
        guard !session.isEnded else {
            throw HTTPError.conflict("the agent already ended call '\(callSid)'")
        }
        guard let twilio else {
            throw HTTPError.serviceUnavailable("Twilio is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)")
        }
        guard !call.context.deadline.hasPassed else {
            throw HTTPError.serviceUnavailable("the request waited too long for a free thread; try again")
        }
        let key = String(session.version + 1)
        let twiml = TwiML.listenAgain(saying: message, session: session,
                                      actionURL: publicURL("/voice/process-speech") ?? "/voice/process-speech", key: key)
        // Never 0, which libcurl takes as no limit at all.
        let timeout = max(.milliseconds(100), min(.seconds(10), call.context.deadline.remaining))
        let updated: TwilioCall
        do {
            updated = try twilio.updateCall(callSid, twiml: twiml.xml, timeout: timeout)
        } catch {
            logger.warning("call update refused by Twilio", metadata: ["call_sid": "\(callSid)", "reason": "\(error)"])
            throw Self.interruptRefusal(error, callSid: callSid)
        }
        try record(message, interrupting: callSid)
        logger.info("call interrupted", metadata: ["call_sid": "\(callSid)", "message": "\(message != nil)"])
        return try .json(InterruptAnswer(success: true, callSid: callSid, status: updated.status))
    }

    /// In one transaction: the message joins the transcript as the agent's
    /// line (with a sync when one is due, as a turn does), and the version and
    /// activity move on. A session finalized meanwhile is left alone.
    private func record(_ message: String?, interrupting callSid: String) throws {
        let now = Date()
        try sessions.update(callSid) { stored, jobs in
            guard var session = stored else { return }
            session.version += 1
            session.lastActivityAt = Timestamp(now)
            if let message {
                session.append(.assistant, message, at: Timestamp(now))
                if session.takeSyncIfDue(frequency: turns.configuration.syncFrequency) {
                    jobs.append(VoiceJob.transcriptSync(session, now: now))
                }
            }
            stored = session
        }
    }

    /// Twilio's refusal as our answer: its 404 is ours, a call it no longer has
    /// in progress (21220) is a conflict, anything else is Twilio failing us.
    static func interruptRefusal(_ error: TwilioError, callSid: String) -> HTTPError {
        switch (error.status, error.code) {
        case (404, _):
            return .notFound("Twilio has no call '\(callSid)'")
        case (400, 21220):
            return .conflict("call '\(callSid)' is no longer in progress: \(error.message)")
        case (0, _) where error.isTimeout:
            return HTTPError(status: 504, code: "gateway_timeout", detail: "Twilio did not answer in time: \(error.message)")
        case (0, _):
            return HTTPError(status: 502, code: "bad_gateway", detail: "Twilio could not be reached: \(error.message)")
        default:
            return HTTPError(status: 502, code: "bad_gateway", detail: "Twilio did not update the call: \(error)")
        }
    }
}
