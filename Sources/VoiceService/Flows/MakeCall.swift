import AWS
import Common
import Foundation
import Logging
import Voice

/// `POST /make-call` body, with the original system's names.
struct MakeCallBody: Decodable {
    let agentId: String
    let toNumber: String
    let fromNumber: String?
    let initialMessage: String?

    enum CodingKeys: String, CodingKey {
        case agentId = "agent_id"
        case toNumber = "to_number"
        case fromNumber = "from_number"
        case initialMessage = "initial_message"
    }
}

struct MakeCallAnswer: Encodable {
    let success: Bool
    let callSid: String
    let status: String
    let to: String
    let from: String
    let agentId: String

    enum CodingKeys: String, CodingKey {
        case success, status, to, from
        case callSid = "call_sid"
        case agentId = "agent_id"
    }
}

extension VoiceRuntime {
    /// `POST /make-call`.
    public static var makeCallRoutes: Router<VoiceRuntime> {
        var routes = Router<VoiceRuntime>()
        routes.on("POST", "/make-call", access: .operatorKey) { call, voice in
            try voice.makeCall(call.request, context: call.context)
        }
        return routes
    }

    /// Dials `to_number` through Twilio for an active agent; Twilio then drives
    /// the call through the answer, turn and status webhooks.
    ///
    /// What the answer needs is prepared before Twilio dials (see
    /// `PreparedCall`), so the answer reads SessionDB only.
    func makeCall(_ request: Request, context: RequestContext) throws -> Response {
        let logger = context.logger
        let body = try request.json(MakeCallBody.self)
        guard let to = PhoneNumber.normalize(body.toNumber), PhoneNumber.isE164(to) else {
            throw HTTPError.badRequest("to_number must be a phone number in E.164 form, like +15550100199")
        }
        guard let fromText = body.fromNumber ?? config.twilio.phoneNumber else {
            throw HTTPError.badRequest("from_number is required when TWILIO_PHONE_NUMBER is not set")
        }
        guard let from = PhoneNumber.normalize(fromText), PhoneNumber.isE164(from) else {
            throw HTTPError.badRequest("from_number must be a phone number in E.164 form, like +15550100199")
        }
        if let message = body.initialMessage, message.count > 500 {
            throw HTTPError.badRequest("initial_message is longer than 500 characters")
        }
        let agent: Agent
        switch agents.agent(body.agentId, options: aws(context, budget: .seconds(3))) {
        case .found(let found, _): agent = found
        case .notFound: throw HTTPError.notFound("agent '\(body.agentId)' does not exist")
        case .unavailable: throw HTTPError.serviceUnavailable("agents cannot be read right now; try again")
        }
        guard agent.status == .active else {
            throw HTTPError.conflict("agent '\(agent.agentId)' is \(agent.status.rawValue); only active agents take calls")
        }
        guard let twilio, let base = config.voice.publicURL else {
            throw HTTPError.serviceUnavailable("Twilio is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, PUBLIC_URL)")
        }
        guard !context.deadline.hasPassed else {
            throw HTTPError.serviceUnavailable("the request waited too long for a free thread; try again")
        }
        // The past calls are waited for first, within PAST_CALLS_BUDGET_MS, and
        // the prepared call is written before Twilio dials, so the answer can
        // never come first. When DynamoDB is slower, the call is placed anyway
        // and the same Query goes on while the phone rings, within
        // WEBHOOK_AWS_BUDGET_MS more.
        let lookupDeadline = ContinuousClock.now + pastCallsBudget
            + .milliseconds(config.voice.webhookAWSBudgetMilliseconds)
        let lookup = PendingLookup { [self] in
            try pastCalls(agentId: agent.agentId, recipientPhone: to,
                          options: AWSCallOptions(deadline: lookupDeadline, logger: logger))
        }
        let history = try? lookup.wait(until: context.deadline.capping(pastCallsBudget))?.get()
        let preparedID = PreparedCalls.newID()
        try preparedCalls.put(preparedID, PreparedCall(agent: agent, recipientPhone: to, pastCalls: history))
        var query = [("agent_id", agent.agentId), ("prep", preparedID)]
        if let message = body.initialMessage, !message.isEmpty { query.append(("initial_message", message)) }
        var call = CallRequest(to: to, from: from, url: base + "/voice/outbound?" + FormEncoding.query(query))
        // The agent rides along, so a call never answered is still filed under it.
        call.statusCallback = base + "/call-status?" + FormEncoding.query([("agent_id", agent.agentId)])
        call.recordingStatusCallback = base + "/recording-status"
        if let limit = agent.maxDurationSeconds { call.timeLimit = limit }
        let placed: TwilioCall
        // Never 0, which libcurl takes as no limit at all.
        let timeout = max(.milliseconds(100), min(.seconds(10), context.deadline.remaining))
        do {
            placed = try twilio.createCall(call, timeout: timeout)
        } catch {
            try? preparedCalls.remove(preparedID)
            logger.warning("call refused by Twilio", metadata: ["to": "\(PhoneNumber.masked(to))", "reason": "\(error)"])
            if error.isCallerError {
                throw HTTPError.unprocessable("Twilio refused the call: \(error.message)")
            }
            throw HTTPError(status: 502, code: "bad_gateway", detail: "Twilio did not place the call: \(error.message)")
        }
        let answer = MakeCallAnswer(success: true, callSid: placed.sid, status: placed.status, to: placed.to,
                                    from: placed.from, agentId: agent.agentId)
        let placedLog: Logger.Metadata = [
            "call_sid": "\(placed.sid)", "agent_id": "\(agent.agentId)", "to": "\(PhoneNumber.masked(to))",
        ]
        if let history {
            try? preparedCalls.update(preparedID) { $0.callSid = placed.sid }
            logger.info("call placed", metadata: placedLog.merging(["past_calls": "\(history.count)"]) { $1 })
            return try .json(answer)
        }
        // DynamoDB was slower than the budget: the operator has the answer now,
        // and this thread waits for the Query once the answer is sent.
        var response = try Response.json(answer)
        response.afterSent = { [self] in
            var found: [PastCall] = []
            // The Query ends by its own deadline; the margin only covers its thread's last steps.
            switch lookup.wait(until: lookupDeadline + .seconds(1)) {
            case .success(let calls): found = calls
            case .failure(let error): logger.warning("past calls not prefetched", metadata: ["reason": "\(error)"])
            case nil: logger.warning("past calls not prefetched", metadata: ["reason": "no answer by its deadline"])
            }
            try? preparedCalls.update(preparedID) { prepared in
                if prepared.pastCalls == nil { prepared.pastCalls = found }
                prepared.callSid = placed.sid
            }
            logger.info("call placed", metadata: placedLog.merging(["past_calls": "\(found.count)"]) { $1 })
        }
        return response
    }
}
