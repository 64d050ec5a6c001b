import Common
import Foundation
import Logging
import Voice

extension VoiceRuntime {
    /// `POST /voice/process-speech`: one turn of the conversation. Reads and
    /// writes SessionDB only; the sync it may call for goes to the outbox in the
    /// same transaction.
    public func turn(_ request: Request, logger: Logger) throws -> Response {
        try answering(logger) {
            let form = try webhookForm(request, logger: logger)
            let callSid = try Self.callSid(form)
            let turnKey = (try? request.queryItems())?["turn"]
            let now = Date()
            let outcome = try sessions.update(callSid) { session, jobs -> TurnOutcome? in
                guard let current = session else { return nil }
                let input = TurnInput(speech: form["SpeechResult"], confidence: form["Confidence"].flatMap(Double.init),
                                      now: now, timeZone: timeZone(for: current.agent), turnKey: turnKey)
                let outcome = engine.respond(to: input, in: current)
                if outcome.isReplay { return outcome }
                session = outcome.session
                if outcome.jobs.contains(.syncTranscript) {
                    jobs.append(VoiceJob.make(VoiceJob.sync, callSid: callSid,
                                              payload: ["version": String(outcome.session.version)], now: now))
                }
                return outcome
            }
            guard let outcome else {
                logger.warning("turn for an unknown call", metadata: ["call_sid": "\(callSid)"])
                return Self.twiml(.apology(.unknownCall))
            }
            if case .hangUp(let reason) = outcome.action {
                logger.info("agent ended the call", metadata: ["call_sid": "\(callSid)", "ended_by": "\(reason.rawValue)"])
            }
            return answerTwiML(outcome)
        }
    }
}
