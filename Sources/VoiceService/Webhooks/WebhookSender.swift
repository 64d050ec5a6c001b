import Foundation
import HTTPClient
import LLM
import Voice

/// Delivers a call's report to its agent's `webhook_url`, signed. Throws to have
/// the outbox try again (the receiver is down, slow, or asks for a pause) and
/// `PermanentJobFailure` when the receiver refused the report itself.
public struct WebhookSender: Sendable {
    let transport: any HTTPTransport
    let timeout: Duration
    let userAgent: String

    public init(transport: any HTTPTransport, timeout: Duration = .seconds(10), userAgent: String) {
        self.transport = transport
        self.timeout = timeout
        self.userAgent = userAgent
    }

    /// Sends `report` and returns the receiver's status (2xx).
    @discardableResult
    public func deliver(_ report: CallReport, to url: String, secret: String, now: Date = Date()) throws -> Int {
        let body = try report.body()
        let request = HTTPRequest(
            method: "POST", url: url,
            headers: [
                ("Content-Type", "application/json"),
                ("User-Agent", userAgent),
                ("Idempotency-Key", report.id),
                (WebhookSignature.header, WebhookSignature.value(secret: secret, timestamp: Int(now.timeIntervalSince1970),
                                                                 body: body)),
            ],
            body: .bytes(body), connectTimeout: .seconds(3), timeout: timeout)
        let response = try transport.send(request)
        switch response.status {
        case 200..<300:
            return response.status
        case 408, 429:
            throw WebhookRefused(status: response.status)
        case 400..<500:
            throw PermanentJobFailure(reason: "the webhook receiver answered \(response.status): not retried")
        default:
            throw WebhookRefused(status: response.status)
        }
    }

    struct WebhookRefused: Error, CustomStringConvertible {
        let status: Int
        var description: String { "the webhook receiver answered \(status)" }
    }
}
