import Common
import Foundation
import Logging
import SessionDB
import Voice

/// The session changed between a turn's read and its write more often than a
/// retry race explains.
struct SessionConflict: Error, CustomStringConvertible {
    let callSid: String
    var description: String { "the session of \(callSid) kept changing under the turn" }
}

extension VoiceRuntime {
    /// `POST /voice/process-speech`: one turn of the conversation. Reads and
    /// writes SessionDB only. The engine runs outside any transaction (LMDB has
    /// one writer for the whole host); the new session is committed only if
    /// the stored one is unchanged, else the turn is worked out again on what
    /// changed it (a retry of this same turn is then recognised by its key).
    public func turn(_ request: Request, context: RequestContext) throws -> Response {
        var context = context
        return try answering(context.logger) {
            let form = try webhookForm(request, logger: context.logger)
            let callSid = try Self.callSid(form)
            context.logger[metadataKey: "call_sid"] = "\(callSid)"
            let logger = context.logger
            let turnKey = (try? request.queryItems())?["turn"]
            let now = Date()

            for _ in 0..<Self.commitAttempts {
                let snapshot = try sessions.snapshot(callSid)
                guard let current = snapshot?.session ?? recoverSession(callSid, now: now, context: context) else {
                    logger.warning("turn for an unknown call")
                    return Self.twiml(.apology(.unknownCall))
                }
                let input = TurnInput(speech: form["SpeechResult"], confidence: form["Confidence"].flatMap(Double.init),
                                      now: now, timeZone: timeZone(for: current.agent), turnKey: turnKey,
                                      deadline: turnDeadline(context).instant, digits: form["Digits"])
                let outcome = turns.respond(to: input, in: current)
                if outcome.isReplay { return answerTwiML(outcome, context: context) }
                guard try sessions.commit(callSid, replacing: snapshot, with: outcome.session,
                                          jobs: VoiceJob.jobs(for: outcome, now: now)) else {
                    logger.debug("session changed during the turn; working it out again")
                    continue
                }
                if let report = outcome.report { log(report, logger) }
                if case .hangUp(let reason) = outcome.action {
                    logger.info("agent ended the call", metadata: ["ended_by": "\(reason.rawValue)"])
                }
                return answerTwiML(outcome, context: context)
            }
            throw SessionConflict(callSid: callSid)
        }
    }

    private func log(_ report: EngineReport, _ logger: Logger) {
        if let reason = report.fallbackReason {
            logger.warning("the rule engine answered the turn instead of the LLM", metadata: ["reason": "\(reason)"])
        } else {
            logger.info("llm turn", metadata: [
                "llm_ms": "\(report.latency.map { Int($0 / .milliseconds(1)) } ?? -1)",
                "stored": "\(report.stored.joined(separator: ","))",
                "refused": "\(report.refused.joined(separator: ","))",
            ])
        }
    }

    /// Enough for any real race (a retried webhook, a status callback).
    static let commitAttempts = 5

    /// A turn for a call this host holds no session for (another host answered
    /// it, or the store was lost): the session is rebuilt from the call record
    /// instead of hanging up on the caller. The only DynamoDB read a turn can make.
    private func recoverSession(_ callSid: String, now: Date, context: RequestContext) -> Session? {
        guard let calls else { return nil }
        let logger = context.logger
        do {
            guard let record = try calls.record(callSid, options: aws(context)), record.endedAt == nil else { return nil }
            let agent: Agent
            switch agents.agent(record.agentId, options: aws(context)) {
            case .found(let found, _): agent = found
            case .notFound, .unavailable:
                guard let fallback = SeedAgents.agent(id: "default") else { return nil }
                agent = fallback
            }
            logger.warning("session rebuilt from the call record", metadata: [
                "messages": "\(record.conversationHistory.count)",
            ])
            return Session(recovering: record, agent: agent, now: Timestamp(now))
        } catch {
            logger.warning("session recovery failed", metadata: ["reason": "\(error)"])
            return nil
        }
    }
}
