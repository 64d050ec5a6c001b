import Foundation
import HTTPClient

// What `voicectl call` needs from the outside: the Twilio simulator's control API
// (tools/twiliosim) and our own operator API through nginx, both on loopback.

/// One thing the simulated callee saw or did (`GET /sim/calls/{sid}/events`).
struct SimulatorEvent: Decodable, Sendable {
    /// created, webhook, agent, played, caller, hangup or error.
    let type: String
    /// What the agent said (`agent`) or the caller said (`caller`).
    let text: String?
    /// For webhooks: voice, status:<status>, recording-status.
    let kind: String?
    /// For webhooks: our HTTP status.
    let status: Int?
    /// For webhooks: the round trip as the simulator measured it.
    let seconds: Double?
    /// For webhooks: the TwiML (or other body) we answered.
    let body: String?
    /// For errors.
    let message: String?
    let hangup: Bool?
    let silence: Bool?
    /// For `played` (a `<Play>` the callee fetched): the file's URL and length.
    let url: String?
    let durationSeconds: Double?
    let sampleRate: Int?
}

struct SimulatorEventPage: Decodable, Sendable {
    let events: [SimulatorEvent]
    let next: Int
    let done: Bool
}

/// The simulator's summary of a call (`GET /sim/calls/{sid}`).
struct SimulatorCallReport: Decodable, Sendable {
    let sid: String
    let direction: String
    let to: String
    let from: String
    let status: String
    let duration: Int?
    /// Who ended the call as the callee saw it: agent, caller, callee, error.
    let endedBy: String?
    let done: Bool
    let errors: [String]
}

/// The part of `GET /session/{sid}` the call summary shows.
struct LiveSessionView: Decodable, Sendable {
    struct AgentView: Decodable, Sendable {
        let agentId: String
        let name: String?
    }

    let agent: AgentView
    let phase: String?
    let dataCollected: [String: String]
    let endedBy: String?
}

/// A failed exchange with the simulator or the stack, worded for the operator.
struct CallCommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// JSON over `HTTPClient`, with the stack's error bodies (`{error, detail}`) turned into text.
enum LoopbackJSON {
    static func request(
        _ method: String, _ url: String, json: Any? = nil, bearer: String? = nil, timeout: Duration = .seconds(10)
    ) throws -> HTTPResponse {
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        var body = HTTPRequestBody.empty
        if let json {
            headers.append(("Content-Type", "application/json"))
            body = .bytes(Array(try JSONSerialization.data(withJSONObject: json)))
        }
        if let bearer { headers.append(("Authorization", "Bearer \(bearer)")) }
        do {
            return try HTTPClient.shared.execute(HTTPRequest(method: method, url: url, headers: headers, body: body,
                                                             connectTimeout: .seconds(2), timeout: timeout))
        } catch {
            throw CallCommandError("cannot reach \(url): \(error.message)")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from response: HTTPResponse, what: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(type, from: Data(response.body))
        } catch {
            throw CallCommandError("unexpected answer for \(what): \(String(decoding: response.body.prefix(300), as: UTF8.self))")
        }
    }

    /// `detail` (or `error`, or the raw body) of an error answer.
    static func reason(_ response: HTTPResponse) -> String {
        let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        if let detail = object?["detail"] as? String { return detail }
        if let message = object?["message"] as? String { return message }
        if let error = object?["error"] as? String { return error }
        return String(decoding: response.body.prefix(300), as: UTF8.self)
    }
}

/// The Twilio simulator's control API.
struct SimulatorClient: Sendable {
    let baseURL: String

    /// Fails with a hint when the simulator is not running.
    func checkRunning() throws {
        let response: HTTPResponse
        do {
            response = try LoopbackJSON.request("GET", baseURL + "/sim/health", timeout: .seconds(3))
        } catch {
            throw CallCommandError("the Twilio simulator does not answer at \(baseURL); start the stack in local mode "
                + "(scripts/run --detach) with the same HTTP_PORT, TWILIO_SIM_PORT and VAR_DIR")
        }
        guard response.status == 200 else {
            throw CallCommandError("\(baseURL) is not the Twilio simulator (GET /sim/health answered \(response.status))")
        }
    }

    /// The next outbound call to `spec["to"]` plays `spec`.
    func registerScenario(_ spec: [String: Any]) throws {
        let response = try LoopbackJSON.request("POST", baseURL + "/sim/scenarios", json: spec)
        guard response.status == 201 else {
            throw CallCommandError("the simulator refused the scenario: \(LoopbackJSON.reason(response))")
        }
    }

    /// Starts an inbound call (a person calling one of our numbers); returns its SID.
    func startInbound(_ spec: [String: Any]) throws -> String {
        let response = try LoopbackJSON.request("POST", baseURL + "/sim/inbound", json: spec)
        guard response.status == 201,
              let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
              let sid = object["sid"] as? String else {
            throw CallCommandError("the simulator did not start the inbound call: \(LoopbackJSON.reason(response))")
        }
        return sid
    }

    /// Events after the first `after`, waiting up to `wait` seconds for one to come.
    func events(_ sid: String, after: Int, wait: Int) throws -> SimulatorEventPage {
        let response = try LoopbackJSON.request(
            "GET", baseURL + "/sim/calls/\(sid)/events?after=\(after)&timeout=\(wait)", timeout: .seconds(wait + 10))
        guard response.status == 200 else {
            throw CallCommandError("the simulator does not know call \(sid): \(LoopbackJSON.reason(response))")
        }
        return try LoopbackJSON.decode(SimulatorEventPage.self, from: response, what: "the call's events")
    }

    func report(_ sid: String) throws -> SimulatorCallReport {
        let response = try LoopbackJSON.request("GET", baseURL + "/sim/calls/\(sid)")
        guard response.status == 200 else {
            throw CallCommandError("the simulator does not know call \(sid): \(LoopbackJSON.reason(response))")
        }
        return try LoopbackJSON.decode(SimulatorCallReport.self, from: response, what: "the call report")
    }

    /// What the caller does next in an interactive call: `["say": text]`,
    /// `["silence": true]` or `["hangup": true]`.
    func callerInput(_ sid: String, _ input: [String: Any]) throws {
        let response = try LoopbackJSON.request("POST", baseURL + "/sim/calls/\(sid)/say", json: input)
        guard response.status == 202 else {
            throw CallCommandError("the simulator refused the caller's input: \(LoopbackJSON.reason(response))")
        }
    }
}

/// Our operator API (`/make-call`, `/session/{sid}`) through nginx.
struct OperatorClient: Sendable {
    let baseURL: String
    let apiKey: String

    /// Places an outbound call; returns its SID or the stack's reason for refusing.
    func makeCall(agent: String, to: String, from: String?) throws -> String {
        var body: [String: Any] = ["agent_id": agent, "to_number": to]
        if let from { body["from_number"] = from }
        let response = try LoopbackJSON.request("POST", baseURL + "/make-call", json: body, bearer: apiKey,
                                                timeout: .seconds(20))
        guard response.status == 200 else {
            throw CallCommandError("POST /make-call answered \(response.status): \(LoopbackJSON.reason(response))")
        }
        struct Placed: Decodable { let callSid: String }
        return try LoopbackJSON.decode(Placed.self, from: response, what: "POST /make-call").callSid
    }

    /// The live session, or nil once the call is finalized (or on any failure:
    /// the summary then shows what it saw last).
    func session(_ sid: String) -> LiveSessionView? {
        guard let response = try? LoopbackJSON.request("GET", baseURL + "/session/\(sid)", bearer: apiKey),
              response.status == 200 else { return nil }
        return try? LoopbackJSON.decode(LiveSessionView.self, from: response, what: "GET /session")
    }
}
