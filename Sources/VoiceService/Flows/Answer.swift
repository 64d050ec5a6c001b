import AWS
import Common
import Foundation
import Logging
import Voice

extension VoiceRuntime {
    /// `POST /voice/outbound` and `POST /voice/inbound`: the session is built
    /// and stored, and the greeting answered. An outbound call placed by
    /// `/make-call` finds everything it needs in SessionDB (the prepared call);
    /// otherwise agents and numbers come from the shared cache, DynamoDB only on
    /// a miss and within the deadline, and past calls only within
    /// `PAST_CALLS_BUDGET_MS`. The call record is written by the worker.
    public func answer(_ request: Request, direction: CallDirection, context: RequestContext) throws -> Response {
        var context = context
        return try answering(context.logger) {
            let form = try webhookForm(request, logger: context.logger)
            let callSid = try Self.callSid(form)
            context.logger[metadataKey: "call_sid"] = "\(callSid)"
            let logger = context.logger

            if let existing = try sessions.session(callSid) {
                // Twilio retried the answer webhook: say the same opening again.
                return answerTwiML(opening(existing, now: Date(), retried: true))
            }
            guard let from = form["From"], let to = form["To"], !from.isEmpty, !to.isEmpty else {
                throw WebhookAnswer(response: Self.twiml(.apology(.badRequest)))
            }
            let query = try? request.queryItems()
            let parties = CallRecord.parties(direction: direction, from: from, to: to)
            let preparedID = direction == .outbound ? query?["prep"].flatMap { $0.isEmpty ? nil : $0 } : nil
            let prepared = preparedID.flatMap { takePrepared($0, context: context) }

            guard var agent = try prepared?.agent
                ?? chooseAgent(direction: direction, query: query, calledNumber: to, context: context)
            else {
                throw WebhookAnswer(response: Self.twiml(.apology(.badRequest)))
            }
            if let opening = query?["initial_message"], !opening.isEmpty { agent.greeting = opening }
            let pastCalls = prepared?.pastCalls
                ?? fetchPastCalls(agentId: agent.agentId, recipientPhone: parties.recipientPhone, context: context)

            let now = Date()
            let session = Session(callSid: callSid, agent: agent, direction: direction,
                                  recipientPhone: parties.recipientPhone, callerPhone: parties.callerPhone,
                                  pastCalls: pastCalls, startedAt: Timestamp(now), answeredBy: form["AnsweredBy"])
            let first = opening(session, now: now, retried: false)
            let jobs = calls == nil ? [] : [VoiceJob.make(VoiceJob.createRecord, callSid: callSid, now: now)]
            guard try sessions.commit(callSid, replacing: nil, with: first.session, jobs: jobs) else {
                // A concurrent retry of this answer stored the session first: say its opening.
                guard let stored = try sessions.session(callSid) else { throw SessionConflict(callSid: callSid) }
                return answerTwiML(opening(stored, now: now, retried: true))
            }
            if let preparedID { try? preparedCalls.remove(preparedID) }
            logger.info("call answered", metadata: [
                "agent_id": "\(agent.agentId)", "direction": "\(direction.rawValue)",
                "recipient": "\(PhoneNumber.masked(parties.recipientPhone))", "past_calls": "\(pastCalls.count)",
                "prepared": "\(prepared != nil)",
            ])
            if let outcome = first.session.outcome {
                logger.info("answered by a machine", metadata: ["answered_by": "\(first.session.answeredBy ?? "")",
                                                               "outcome": "\(outcome)"])
            }
            return answerTwiML(first)
        }
    }

    /// The greeting, or what a machine or fax gets (see `AnsweringMachine`).
    /// A retried answer of a call a machine took says the same again.
    private func opening(_ session: Session, now: Date, retried: Bool) -> TurnOutcome {
        if retried, session.isEnded, session.outcome != nil {
            let said = session.transcript.last { $0.role == .assistant }?.content ?? ""
            return TurnOutcome(session: session, reply: said, action: .hangUp(session.endedBy ?? .systemComplete),
                               isReplay: true)
        }
        return AnsweringMachine.opening(session, now: now) ?? turns.start(session, now: now)
    }

    /// The prepared call. An answer that comes while `/make-call` is still
    /// fetching the past calls (the callee picked up before DynamoDB answered)
    /// does not wait for them: the greeting goes out now, without history.
    private func takePrepared(_ id: String, context: RequestContext) -> PreparedCall? {
        guard var prepared = try? preparedCalls.get(id) else {
            context.logger.warning("answer without a prepared call", metadata: ["prep": "\(id)"])
            return nil
        }
        if prepared.pastCalls == nil {
            context.logger.warning("answered before the past calls were fetched")
            prepared.pastCalls = []
        }
        return prepared
    }

    /// The last calls with this number when DynamoDB answers within
    /// `PAST_CALLS_BUDGET_MS`, else none (logged): a greeting never waits long for history.
    private func fetchPastCalls(agentId: String, recipientPhone: String, context: RequestContext) -> [PastCall] {
        do {
            return try pastCalls(agentId: agentId, recipientPhone: recipientPhone,
                                 options: aws(context, budget: pastCallsBudget))
        } catch {
            context.logger.warning("answered without past calls", metadata: ["reason": "\(error)"])
            return []
        }
    }

    /// The agent for a call without a prepared entry. Outbound calls name
    /// theirs; inbound calls get the agent assigned to the number called, else
    /// `default`. When DynamoDB cannot answer in time: the cached agent (even
    /// stale), else the built-in `default`, so the caller is never left without
    /// an answer.
    private func chooseAgent(direction: CallDirection, query: FormFields?, calledNumber: String,
                             context: RequestContext) throws -> Agent? {
        let logger = context.logger
        var agentId = "default"
        switch direction {
        case .outbound:
            guard let named = query?["agent_id"], !named.isEmpty else {
                logger.warning("outbound answer without agent_id")
                return nil
            }
            agentId = named
        case .inbound:
            agentId = numbers.assignedAgent(for: calledNumber, options: aws(context), logger: logger) ?? "default"
        }
        switch agents.agent(agentId, options: aws(context)) {
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
        let dialAction = publicURL("/voice/dial-status") ?? "/voice/dial-status"
        return Self.twiml(TwiML.answer(to: outcome, actionURL: action, dialActionURL: dialAction))
    }
}
