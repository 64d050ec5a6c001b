import Logging

/// Per-call settings.
public struct AWSCallOptions: Sendable {
    /// The instant by which the call must be over, retries and backoff included.
    /// When it passes, the call fails with a deadline error instead of waiting.
    public var deadline: ContinuousClock.Instant?
    /// Attempts for this call, overriding the client's strategy (1 = no retries).
    public var maxAttempts: Int?
    /// The logger of the request this call serves (its request id and call SID
    /// on every line), instead of the client's own.
    public var logger: Logger?

    /// Options with an absolute deadline and/or an attempt limit.
    public init(deadline: ContinuousClock.Instant? = nil, maxAttempts: Int? = nil, logger: Logger? = nil) {
        self.deadline = deadline
        self.maxAttempts = maxAttempts
        self.logger = logger
    }

    /// No deadline, the client's retry settings.
    public static let standard = AWSCallOptions()

    /// A budget for the whole call starting now, e.g. `.within(.milliseconds(1500))`
    /// on a webhook path.
    public static func within(_ budget: Duration, maxAttempts: Int? = nil) -> AWSCallOptions {
        AWSCallOptions(deadline: .now + budget, maxAttempts: maxAttempts)
    }
}
