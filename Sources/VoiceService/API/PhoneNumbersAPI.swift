import Common
import Foundation
import Voice

/// `GET /phone-numbers` answers every number with its agent.
struct PhoneNumberList: Encodable {
    let phoneNumbers: [PhoneNumberAssignment]
    let count: Int

    enum CodingKeys: String, CodingKey {
        case phoneNumbers = "phone_numbers"
        case count
    }
}

extension VoiceRuntime {
    /// Our numbers and the agents that answer them. A change is cached for
    /// every process in the same request: the next inbound call takes it.
    public static var phoneNumberRoutes: Router<VoiceRuntime> {
        var routes = Router<VoiceRuntime>()
        routes.on("GET", "/phone-numbers", access: .operatorKey) { call, voice in
            let numbers = try voice.numberStore().all(options: voice.aws(call.context))
            return try .json(PhoneNumberList(phoneNumbers: numbers, count: numbers.count))
        }
        routes.on("PUT", "/phone-numbers/{number}", access: .operatorKey) { call, voice in
            try voice.assignNumber(call)
        }
        routes.on("DELETE", "/phone-numbers/{number}", access: .operatorKey) { call, voice in
            let number = try Self.ourNumber(call.parameters["number"])
            guard try voice.numberStore().remove(number, options: voice.aws(call.context)) else {
                throw HTTPError.notFound("\(number) is not one of our numbers")
            }
            voice.numbers.remember(number, agentId: nil, logger: call.context.logger)
            return Response(status: 204)
        }
        return routes
    }

    private func numberStore() throws -> PhoneNumberStore {
        guard let store = phoneNumberStore else {
            throw HTTPError.serviceUnavailable("the phone numbers API needs DynamoDB (ENABLE_DYNAMODB=true)")
        }
        return store
    }

    private func assignNumber(_ call: Router<VoiceRuntime>.Call) throws -> Response {
        let number = try Self.ourNumber(call.parameters["number"])
        let body = try call.request.jsonObject()
        guard let agentId = body["assigned_agent_id"] as? String, !agentId.isEmpty else {
            throw HTTPError.badRequest("assigned_agent_id: is required (the agent that answers this number)")
        }
        let friendlyName = body["friendly_name"]
        guard friendlyName == nil || friendlyName is NSNull || (friendlyName as? String).map({ $0.count <= 200 }) == true else {
            throw HTTPError.unprocessable("friendly_name: must be a string of at most 200 characters")
        }
        let options = aws(call.context)
        guard let agent = try agentStore?.agent(agentId, options: options)?.agent else {
            throw HTTPError.unprocessable("assigned_agent_id: no agent '\(agentId)'")
        }
        guard agent.status == .active else {
            throw HTTPError.unprocessable("assigned_agent_id: agent '\(agentId)' is \(agent.status.rawValue)")
        }
        let store = try numberStore()
        let existing = try store.assignment(for: number, options: options)
        let now = Timestamp(Date()).description
        let assignment = PhoneNumberAssignment(phoneNumber: number, assignedAgentId: agentId,
                                               friendlyName: friendlyName as? String, createdAt: existing?.createdAt ?? now,
                                               updatedAt: now)
        try store.assign(assignment, options: options)
        numbers.remember(number, agentId: agentId, logger: call.context.logger)
        call.context.logger.info("number assigned", metadata: ["agent_id": "\(agentId)"])
        return try .json(assignment, status: existing == nil ? 201 : 200)
    }

    /// The path's number, in E.164.
    static func ourNumber(_ text: String) throws -> String {
        guard PhoneNumber.isE164(text) else {
            throw HTTPError.badRequest("the number must be in E.164 form, like +15551234567 (%2B for the plus in a URL)")
        }
        return text
    }
}
