import Common
import Foundation
import Logging
import Voice
@testable import VoiceService

/// Twilio's status callbacks through the real `/call-status` flow, signed as
/// Twilio signs them, over the test's SessionDB (no DynamoDB: the flow only
/// touches SessionDB).
struct StatusCallbacks {
    static let authToken = "status-callback-test-token"
    static let publicURL = "https://voice.example.com"
    let runtime: VoiceRuntime

    init(_ store: TemporarySessions) throws {
        let config = try AppConfig(environment: Environment([
            "ENABLE_DYNAMODB": "false", "LOCAL_TWILIO": "false", "PUBLIC_URL": Self.publicURL,
            "TWILIO_AUTH_TOKEN": Self.authToken, "TWILIO_ACCOUNT_SID": "ACtest", "VAR_DIR": store.directory,
        ]))
        runtime = try VoiceRuntime(context: RequestContext(config: config, sessionDB: store.database,
                                                           logger: Logger(label: "test")))
    }

    /// Posts Twilio's word that `callSid` is now `status`; returns the HTTP status.
    @discardableResult
    func report(_ callSid: String, status: String, duration: Int = 42) throws -> Int {
        let fields = [("CallSid", callSid), ("CallStatus", status), ("CallDuration", String(duration))]
        let url = Self.publicURL + "/call-status"
        let signature = TwilioSignature.compute(authToken: Self.authToken, url: url,
                                                parameters: fields.map { (name: $0.0, value: $0.1) })
        let body = fields.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        let request = Request(method: "POST", rawPath: "/call-status", headers: [
            "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature,
        ], body: Array(body.utf8))
        let context = RequestContext(config: runtime.config, sessionDB: runtime.sessions.database,
                                     logger: Logger(label: "test"))
        return try runtime.callStatus(request, context: context).status
    }
}
