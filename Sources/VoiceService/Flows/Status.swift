import Common
import Foundation
import Logging
import Voice

extension VoiceRuntime {
    /// `POST /call-status`: Twilio's status callbacks. A final status only
    /// enqueues the call's finalization and answers at once, so a slow S3 or
    /// DynamoDB never makes Twilio wait. Callbacks may come twice or out of
    /// order; finalization is idempotent.
    public func callStatus(_ request: Request, context: RequestContext) throws -> Response {
        let logger = context.logger
        let form = try statusForm(request, logger: logger)
        let callSid = try Self.statusCallSid(form)
        guard let text = form["CallStatus"], let status = CallStatus(rawValue: text) else {
            throw HTTPError.badRequest("CallStatus must be one of \(CallStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let now = Date()
        try sessions.update(callSid) { session, jobs in
            if let answeredBy = form["AnsweredBy"], session != nil, session?.answeredBy != answeredBy {
                session?.answeredBy = answeredBy
            }
            guard status.isFinal else { return }
            if session != nil { session?.finalStatus = status }
            var payload = ["status": status.rawValue, "received_at": String(now.timeIntervalSince1970)]
            for (field, key) in [("CallDuration", "duration"), ("RecordingUrl", "recording_url"),
                                 ("RecordingSid", "recording_sid"), ("AnsweredBy", "answered_by"),
                                 ("From", "from"), ("To", "to"), ("Direction", "direction")] {
                if let value = form[field], !value.isEmpty { payload[key] = value }
            }
            if let agentId = (try? request.queryItems())?["agent_id"], AgentValidation.isAgentId(agentId) {
                payload["agent_id"] = agentId
            }
            if let url = payload["recording_url"], !isTwilioURL(url) {
                logger.warning("recording URL off Twilio's API ignored", metadata: ["call_sid": "\(callSid)"])
                payload["recording_url"] = nil
                payload["recording_sid"] = nil
            }
            jobs.append(VoiceJob.make(VoiceJob.finalize, callSid: callSid, payload: payload, now: now))
        }
        logger.info("call status", metadata: ["call_sid": "\(callSid)", "status": "\(status.rawValue)"])
        return Self.twiml(TwiML([]))
    }

    /// `POST /recording-status`: Twilio's word that a recording can be fetched.
    public func recordingStatus(_ request: Request, context: RequestContext) throws -> Response {
        let logger = context.logger
        let form = try statusForm(request, logger: logger)
        let callSid = try Self.statusCallSid(form)
        guard form["RecordingStatus"] == "completed" else { return Self.twiml(TwiML([])) }
        guard let url = form["RecordingUrl"], !url.isEmpty else {
            throw HTTPError.badRequest("missing field 'RecordingUrl'")
        }
        guard isTwilioURL(url) else {
            logger.warning("recording URL off Twilio's API refused", metadata: ["call_sid": "\(callSid)"])
            throw HTTPError.badRequest("RecordingUrl must be on Twilio's API (TWILIO_API_BASE_URL)")
        }
        var payload = ["recording_url": url]
        if let sid = form["RecordingSid"] { payload["recording_sid"] = sid }
        try sessions.update(callSid) { _, jobs in
            jobs.append(VoiceJob.make(VoiceJob.recording, callSid: callSid, payload: payload))
        }
        logger.info("recording ready", metadata: ["call_sid": "\(callSid)"])
        return Self.twiml(TwiML([]))
    }

    /// Whether a recording URL may be fetched with our credentials.
    private func isTwilioURL(_ url: String) -> Bool {
        twilio?.isOwnURL(url) ?? false
    }

    /// A status callback's CallSid; a missing or malformed one is a 400 (Twilio
    /// plays nothing from a status callback, so no apology).
    private static func statusCallSid(_ form: FormFields) throws -> String {
        do {
            return try callSid(form)
        } catch is WebhookAnswer {
            throw HTTPError.badRequest("missing or malformed CallSid")
        }
    }

    /// Status callbacks answer JSON errors (Twilio plays nothing from them).
    private func statusForm(_ request: Request, logger: Logger) throws -> FormFields {
        do {
            return try webhookForm(request, logger: logger)
        } catch let answer as WebhookAnswer {
            throw HTTPError(status: max(answer.response.status, 400), code: "bad_request", detail: "unreadable form body")
        }
    }
}
