import Common
import Foundation
import Voice

extension VoiceRuntime {
    /// `POST /voice/dial-status`: Twilio's `<Dial action>` callback once a
    /// transfer to a person ended (signed like every webhook). Answered: the
    /// call is over for the agent. Not answered: the agent comes back on the
    /// line and offers to take a message. SessionDB only.
    public func dialStatus(_ request: Request, context: RequestContext) throws -> Response {
        var context = context
        return try answering(context.logger) {
            let form = try webhookForm(request, logger: context.logger)
            let callSid = try Self.callSid(form)
            context.logger[metadataKey: "call_sid"] = "\(callSid)"
            let status = form["DialCallStatus"] ?? "failed"
            let now = Date()
            for _ in 0..<Self.commitAttempts {
                guard let snapshot = try sessions.snapshot(callSid) else {
                    context.logger.warning("dial status for an unknown call")
                    return Self.twiml(.apology(.unknownCall))
                }
                let outcome = turns.dialEnded(status, in: snapshot.session, now: now)
                if outcome.isReplay { return answerTwiML(outcome, context: context) }
                guard try sessions.commit(callSid, replacing: snapshot, with: outcome.session,
                                          jobs: VoiceJob.jobs(for: outcome, now: now)) else { continue }
                context.logger.info("transfer ended", metadata: [
                    "dial_status": "\(status)", "duration": "\(form["DialCallDuration"] ?? "-")",
                ])
                return answerTwiML(outcome, context: context)
            }
            throw SessionConflict(callSid: callSid)
        }
    }
}
