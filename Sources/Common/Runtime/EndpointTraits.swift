/// How an endpoint spends its time, which sets its thread count and its deadline.
public struct EndpointTraits: Sendable {
    /// Whether requests wait on upstreams (AWS, Twilio's REST API, an LLM).
    /// A waiting thread costs little memory and no CPU; a request queued behind
    /// busy threads costs the caller its whole wait, so such endpoints get many
    /// threads (`HANDLER_THREADS_WAITING`), the others few (`HANDLER_THREADS`).
    public var waitsOnUpstreams: Bool
    /// Whether Twilio calls it: answered within `WEBHOOK_DEADLINE_MS` of arrival,
    /// else `REQUEST_DEADLINE_MS`.
    public var isTwilioWebhook: Bool

    public init(waitsOnUpstreams: Bool, isTwilioWebhook: Bool) {
        self.waitsOnUpstreams = waitsOnUpstreams
        self.isTwilioWebhook = isTwilioWebhook
    }

    /// A Twilio webhook that reads and writes SessionDB only.
    public static let webhook = EndpointTraits(waitsOnUpstreams: false, isTwilioWebhook: true)
    /// A Twilio webhook that may wait on an upstream within its deadline.
    public static let waitingWebhook = EndpointTraits(waitsOnUpstreams: true, isTwilioWebhook: true)
    /// An API endpoint served from SessionDB.
    public static let api = EndpointTraits(waitsOnUpstreams: false, isTwilioWebhook: false)
    /// An API endpoint that waits on upstreams (DynamoDB, Twilio).
    public static let waitingAPI = EndpointTraits(waitsOnUpstreams: true, isTwilioWebhook: false)
}
