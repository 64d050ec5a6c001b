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
            var recovered: Session?
            if try !sessions.contains(callSid) {
                recovered = recoverSession(callSid, now: now, logger: logger)
            }
            let outcome = try sessions.update(callSid) { session, jobs -> TurnOutcome? in
                if session == nil { session = recovered }
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
            if case .hangUp(let reason) = outcome.action, !outcome.isReplay {
                logger.info("agent ended the call", metadata: ["call_sid": "\(callSid)", "ended_by": "\(reason.rawValue)"])
            }
            return answerTwiML(outcome)
        }
    }

    /// A turn for a call this host holds no session for (another host answered
    /// it, or the store was lost): the session is rebuilt from the call record
    /// instead of hanging up on the caller. The only DynamoDB read a turn can make.
    private func recoverSession(_ callSid: String, now: Date, logger: Logger) -> Session? {
        guard let calls else { return nil }
        let budget = webhookBudget()
        do {
            guard let record = try calls.record(callSid, options: budget), record.endedAt == nil else { return nil }
            let agent: Agent
            switch agents.agent(record.agentId, options: budget) {
            case .found(let found, _): agent = found
            case .notFound, .unavailable:
                guard let fallback = SeedAgents.agent(id: "default") else { return nil }
                agent = fallback
            }
            logger.warning("session rebuilt from the call record", metadata: [
                "call_sid": "\(callSid)", "messages": "\(record.conversationHistory.count)",
            ])
            return Session(recovering: record, agent: agent, now: Timestamp(now))
        } catch {
            logger.warning("session recovery failed", metadata: ["call_sid": "\(callSid)", "reason": "\(error)"])
            return nil
        }
    }
}
