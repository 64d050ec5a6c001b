import AWS
import Common
import Foundation
import Logging
import SessionDB
import Voice

extension VoiceRuntime {
    /// `POST /voice/outbound` and `POST /voice/inbound`: one fetch of the agent and
    /// the caller's past calls, the call record created (idempotently), the
    /// session stored, and the greeting answered. AWS gets one shared deadline:
    /// past it the call still answers, with what the cache holds, and the record
    /// creation waits in the outbox.
    public func answer(_ request: Request, direction: CallDirection, logger: Logger) throws -> Response {
        try answering(logger) {
            let form = try webhookForm(request, logger: logger)
            let callSid = try Self.callSid(form)
            var logger = logger
            logger[metadataKey: "call_sid"] = "\(callSid)"

            if let existing = try sessions.session(callSid) {
                // Twilio retried the answer webhook: say the same opening again.
                return answerTwiML(engine.start(existing, now: Date()))
            }
            guard let from = form["From"], let to = form["To"], !from.isEmpty, !to.isEmpty else {
                throw WebhookAnswer(response: Self.twiml(.apology(.badRequest)))
            }
            let budget = webhookBudget()
            let query = try? request.queryItems()
            guard var agent = try chooseAgent(direction: direction, query: query, calledNumber: to, budget: budget,
                                              logger: logger)
            else {
                throw WebhookAnswer(response: Self.twiml(.apology(.badRequest)))
            }
            if let opening = query?["initial_message"], !opening.isEmpty { agent.greeting = opening }

            let parties = CallRecord.parties(direction: direction, from: from, to: to)
            var pastCalls: [PastCall] = []
            if let calls {
                do {
                    pastCalls = try calls.pastCalls(agentId: agent.agentId, recipientPhone: parties.recipientPhone,
                                                    options: budget).map(PastCall.init(record:))
                } catch {
                    logger.warning("past calls unavailable", metadata: ["reason": "\(error)"])
                }
            }
            let now = Date()
            let session = Session(callSid: callSid, agent: agent, direction: direction,
                                  recipientPhone: parties.recipientPhone, callerPhone: parties.callerPhone,
                                  pastCalls: pastCalls, startedAt: Timestamp(now), answeredBy: form["AnsweredBy"])
            let opening = engine.start(session, now: now)

            var recordCreated = calls == nil
            if let calls {
                do {
                    try calls.create(CallRecord(session: opening.session, status: .inProgress), options: budget)
                    recordCreated = true
                } catch {
                    logger.warning("call record deferred to the outbox", metadata: ["reason": "\(error)"])
                }
            }
            let stored = try sessions.update(callSid) { current, jobs -> Session in
                if let current { return current }  // a concurrent retry got here first
                current = opening.session
                if !recordCreated { jobs.append(VoiceJob.make(VoiceJob.createRecord, callSid: callSid, now: now)) }
                return opening.session
            }
            logger.info("call answered", metadata: [
                "agent_id": "\(agent.agentId)", "direction": "\(direction.rawValue)",
                "recipient": "\(PhoneNumber.masked(parties.recipientPhone))", "past_calls": "\(pastCalls.count)",
            ])
            return answerTwiML(stored == opening.session ? opening : engine.start(stored, now: now))
        }
    }

    /// The agent for a new call. Outbound calls name theirs; inbound calls get
    /// the agent assigned to the number called, else `default`. When DynamoDB
    /// cannot answer in time, the cached agent (even stale), else the built-in
    /// `default`, so the caller is never left without an answer.
    private func chooseAgent(direction: CallDirection, query: FormFields?, calledNumber: String,
                             budget: AWSCallOptions, logger: Logger) throws -> Agent? {
        var agentId = "default"
        switch direction {
        case .outbound:
            guard let named = query?["agent_id"], !named.isEmpty else {
                logger.warning("outbound answer without agent_id")
                return nil
            }
            agentId = named
        case .inbound:
            if let phoneNumbers {
                do {
                    agentId = try phoneNumbers.assignment(for: calledNumber, options: budget)?.assignedAgentId ?? "default"
                } catch {
                    logger.warning("number assignment unavailable", metadata: ["reason": "\(error)"])
                }
            }
        }
        switch agents.agent(agentId, options: budget) {
        case .found(let agent, let source):
            if agent.status != .active {
                logger.warning("agent not active", metadata: ["agent_id": "\(agentId)", "status": "\(agent.status.rawValue)"])
                return direction == .inbound ? builtInDefault() : nil
            }
            if source == .staleCache { logger.warning("answering with a stale cached agent", metadata: ["agent_id": "\(agentId)"]) }
            return agent
        case .notFound:
            logger.warning("agent not found", metadata: ["agent_id": "\(agentId)"])
            return direction == .inbound ? builtInDefault() : nil
        case .unavailable:
            logger.warning("answering with the built-in default agent", metadata: ["agent_id": "\(agentId)"])
            return builtInDefault()
        }
    }

    private func builtInDefault() -> Agent? {
        SeedAgents.agent(id: "default")
    }

    func answerTwiML(_ outcome: TurnOutcome) -> Response {
        let action = publicURL("/voice/process-speech") ?? "/voice/process-speech"
        return Self.twiml(TwiML.answer(to: outcome, actionURL: action))
    }
}
