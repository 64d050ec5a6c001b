import AWS
import CryptoCore
import Foundation
import Metrics
import HTTPClient

/// What Twilio answered when it refused a request.
public struct TwilioError: Error, Sendable, CustomStringConvertible {
    /// HTTP status, or 0 when Twilio could not be reached.
    public let status: Int
    /// Twilio's error code (e.g. 21211: invalid `To` number), when it gave one.
    public let code: Int?
    public let message: String
    /// True when Twilio did not answer in time (status 0), as opposed to not being reachable at all.
    public var isTimeout = false

    public init(status: Int, code: Int?, message: String, isTimeout: Bool = false) {
        self.status = status
        self.code = code
        self.message = message
        self.isTimeout = isTimeout
    }

    public var description: String {
        "Twilio \(status == 0 ? "unreachable" : "answered \(status)")\(code.map { " (code \($0))" } ?? ""): \(message)"
    }

    /// True when the request itself was wrong (a number Twilio will not call…),
    /// as opposed to our credentials or Twilio's availability.
    public var isCallerError: Bool { status == 400 || status == 404 || status == 422 }
}

/// A call Twilio created.
public struct TwilioCall: Sendable, Equatable {
    public let sid: String
    public let status: String
    public let to: String
    public let from: String
}

/// What `createCall` asks Twilio for; the names are Twilio's parameters.
public struct CallRequest: Sendable {
    public var to: String
    public var from: String
    /// Where Twilio fetches the call's TwiML when it is answered.
    public var url: String
    public var statusCallback: String?
    public var statusCallbackEvents: [String] = ["initiated", "ringing", "answered", "completed"]
    public var record = true
    public var recordingStatusCallback: String?
    /// `DetectMessageEnd` reports a person at once, and a machine once its
    /// greeting has ended (`machine_end_beep`…), so a voicemail is heard whole.
    public var machineDetection: String? = "DetectMessageEnd"
    /// Seconds to let it ring.
    public var timeout = 30
    /// The longest the call may last, in seconds.
    public var timeLimit = 1800

    public init(to: String, from: String, url: String) {
        self.to = to
        self.from = from
        self.url = url
    }

    var form: [(String, String)] {
        var fields: [(String, String)] = [("To", to), ("From", from), ("Url", url), ("Method", "POST"),
                                          ("Timeout", String(timeout)), ("TimeLimit", String(timeLimit))]
        if let statusCallback {
            fields.append(("StatusCallback", statusCallback))
            fields.append(("StatusCallbackMethod", "POST"))
            for event in statusCallbackEvents { fields.append(("StatusCallbackEvent", event)) }
        }
        if record {
            fields.append(("Record", "true"))
            if let recordingStatusCallback {
                fields.append(("RecordingStatusCallback", recordingStatusCallback))
                fields.append(("RecordingStatusCallbackEvent", "completed"))
            }
        }
        if let machineDetection { fields.append(("MachineDetection", machineDetection)) }
        return fields
    }
}

/// Twilio's REST API (`TWILIO_API_BASE_URL`, the simulator in local mode), with
/// basic auth by account SID and auth token.
public struct TwilioClient: Sendable {
    private let baseURL: String
    /// The API's scheme, host and port, parsed once: every status callback asks `isOwnURL`.
    private let apiOrigin: Origin?
    private let accountSID: String
    private let authToken: String
    private let http: HTTPClient

    public init(baseURL: String, accountSID: String, authToken: String, http: HTTPClient = .shared) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiOrigin = Origin(baseURL)
        self.accountSID = accountSID
        self.authToken = authToken
        self.http = http
    }

    private struct Origin: Equatable {
        let scheme: String
        let host: String
        let port: Int?

        /// nil for a URL without scheme or host, or with credentials in it.
        init?(_ url: String) {
            guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
                  let host = components.host?.lowercased(), !host.isEmpty,
                  components.user == nil, components.password == nil else { return nil }
            self.scheme = scheme
            self.host = host
            self.port = components.port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : nil)
        }
    }

    private var authorization: String {
        "Basic " + Base64.encode(Array("\(accountSID):\(authToken)".utf8))
    }

    /// The media URL of a recording, as the worker downloads it.
    public func recordingMediaURL(_ recordingURL: String, format: String = "wav") -> String {
        recordingURL.hasSuffix(".\(format)") ? recordingURL : recordingURL + "." + format
    }

    /// Whether `url` is on Twilio's API itself (the scheme, host and port of
    /// `TWILIO_API_BASE_URL`): the only place recordings are fetched from, and
    /// the only place our credentials are ever sent.
    public func isOwnURL(_ url: String) -> Bool {
        guard let apiOrigin, let theirs = Origin(url) else { return false }
        return theirs == apiOrigin
    }

    /// The `Authorization` header for media downloads.
    public var mediaAuthorization: String { authorization }

    /// Places an outbound call.
    public func createCall(_ call: CallRequest, timeout: Duration = .seconds(10)) throws(TwilioError) -> TwilioCall {
        let object = try post("/Calls.json", form: call.form, timeout: timeout, operation: "create_call")
        return try TwilioCall(object, to: call.to, from: call.from)
    }

    /// Changes a call in progress: Twilio stops whatever the call is playing and
    /// executes `twiml` instead. A call Twilio does not know is 404 (code 20404);
    /// one no longer in progress is 400 (code 21220).
    public func updateCall(_ callSid: String, twiml: String, timeout: Duration = .seconds(10)) throws(TwilioError)
        -> TwilioCall {
        let object = try post("/Calls/\(FormEncoding.escape(callSid)).json", form: [("Twiml", twiml)], timeout: timeout,
                              operation: "update_call")
        return try TwilioCall(object, to: "", from: "")
    }

    /// POSTs a form to the account's `path`; the JSON object Twilio answered,
    /// or its refusal as a `TwilioError`. Counted under `operation`.
    private func post(_ path: String, form: [(String, String)], timeout: Duration,
                      operation: String) throws(TwilioError) -> [String: Any] {
        let request = HTTPRequest(
            method: "POST", url: "\(baseURL)/2010-04-01/Accounts/\(accountSID)\(path)",
            headers: [("Authorization", authorization), ("Content-Type", "application/x-www-form-urlencoded"),
                      ("Accept", "application/json")],
            body: .bytes(Array(FormEncoding.query(form).utf8)), connectTimeout: .seconds(3), timeout: timeout)
        let response: HTTPResponse
        do {
            response = try http.execute(request)
        } catch {
            Self.count(operation, error.isTimeout ? "timeout" : "transport_error")
            throw TwilioError(status: 0, code: nil, message: "\(error)", isTimeout: error.isTimeout)
        }
        Self.count(operation, Self.outcome(status: response.status))
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        guard response.isSuccess else {
            throw TwilioError(status: response.status, code: object?["code"] as? Int,
                              message: object?["message"] as? String ?? "no error message")
        }
        guard let object else {
            throw TwilioError(status: response.status, code: nil, message: "the answer is not a JSON object")
        }
        return object
    }
}

extension TwilioCall {
    /// A call resource as Twilio's REST API answers it; `to` and `from` stand in
    /// for fields the answer lacks.
    init(_ object: [String: Any], to: String, from: String) throws(TwilioError) {
        guard let sid = object["sid"] as? String else {
            throw TwilioError(status: 200, code: nil, message: "the answer has no call sid")
        }
        self.init(sid: sid, status: object["status"] as? String ?? "queued",
                  to: object["to"] as? String ?? to, from: object["from"] as? String ?? from)
    }
}

extension TwilioClient {
    /// Counts one request to Twilio's REST API (`voice_twilio_requests_total`).
    static func count(_ operation: String, _ outcome: String) {
        MetricsRegistry.shared.increment(.twilioRequests, [Label("operation", operation), Label("outcome", outcome)])
    }

    static func outcome(status: Int) -> String {
        switch status {
        case 200..<300: "ok"
        case 429: "throttled"
        case 500...: "server_error"
        default: "client_error"
        }
    }
}

/// `application/x-www-form-urlencoded` escaping (RFC 3986 unreserved kept).
enum FormEncoding {
    static func escape(_ text: String) -> String {
        URIEncoding.encode(text)
    }

    static func query(_ fields: [(String, String)]) -> String {
        fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }
}
