/// The retry quota of the SDKs' standard mode, as plain state.
///
/// Retries spend tokens (5, or 10 after a timeout) and successes give them back,
/// so a sustained outage stops retries instead of multiplying traffic.
public struct RetryQuota: Sendable, Equatable {
    /// Tokens a full bucket holds.
    public static let capacity = 500
    /// Cost of a retry after a throttling, 5xx or transport error.
    public static let retryCost = 5
    /// Cost of a retry after a timeout.
    public static let timeoutRetryCost = 10
    /// What a success that needed no retry gives back.
    public static let noRetryIncrement = 1

    /// Tokens left.
    public private(set) var available: Int

    /// A full quota.
    public init(available: Int = RetryQuota.capacity) { self.available = available }

    /// Takes `cost` tokens; false (nothing taken) when too few remain.
    public mutating func acquire(_ cost: Int) -> Bool {
        guard available >= cost else { return false }
        available -= cost
        return true
    }

    /// Returns tokens after a success: the cost of the retry that succeeded, or
    /// `noRetryIncrement` when the first attempt did.
    public mutating func release(afterRetryCosting cost: Int?) {
        available = min(Self.capacity, available + (cost ?? Self.noRetryIncrement))
    }
}

/// What went wrong with one attempt, as far as retrying cares.
public enum RetryableFailure: Sendable, Equatable {
    /// The service answered with an error status and code.
    case service(status: Int, code: String)
    /// The request timed out.
    case timeout
    /// The connection failed or broke.
    case transport
}

/// The SDKs' standard retry mode as a value: it decides, the I/O code performs.
public struct RetryStrategy: Sendable {
    /// What to do after a failed attempt.
    public enum Decision: Sendable, Equatable {
        /// Wait, then try again; the retry cost `cost` quota tokens.
        case retry(after: Duration, cost: Int)
        /// Give up and report the failure.
        case stop(StopReason)
    }

    /// Why no further attempt is made.
    public enum StopReason: Sendable, Equatable {
        case notRetryable
        case attemptsExhausted
        case quotaExhausted
    }

    /// Error codes that mean "slow down" (botocore's standard-mode list).
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    ]
    /// Error codes of transient server-side failures.
    public static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalServerError",
        "ServiceUnavailable", "InternalFailure",
    ]
    /// Statuses retried whatever the code.
    public static let transientStatuses: Set<Int> = [500, 502, 503, 504]

    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// The first backoff ceiling; doubles per attempt (1 s in the SDKs).
    public var baseDelay: Duration
    /// The largest backoff ceiling (20 s in the SDKs).
    public var maxBackoff: Duration
    /// A uniform random number in [0, 1): the "full jitter".
    public var random: @Sendable () -> Double

    /// The standard mode: 3 attempts, ceilings 1 s, 2 s, 4 s … 20 s, full jitter.
    public init(maxAttempts: Int = 3, baseDelay: Duration = .seconds(1), maxBackoff: Duration = .seconds(20),
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxBackoff = maxBackoff
        self.random = random
    }

    /// Whether a failure is worth another attempt at all.
    public static func isRetryable(_ failure: RetryableFailure) -> Bool {
        switch failure {
        case .timeout, .transport:
            true
        case .service(let status, let code):
            // A conditional check failed because of data: retrying cannot help.
            code != "ConditionalCheckFailedException"
                && (transientStatuses.contains(status) || throttlingCodes.contains(code) || transientCodes.contains(code))
        }
    }

    /// Whether a failure is throttling (reported as such to callers).
    public static func isThrottling(_ failure: RetryableFailure) -> Bool {
        if case .service(_, let code) = failure { return throttlingCodes.contains(code) }
        return false
    }

    /// The wait before attempt `attempt + 1`: `random × min(base × 2^(attempt-1), maxBackoff)`.
    public func delay(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(baseDelay * (1 << exponent), maxBackoff)
        return ceiling * random()
    }

    /// Decides what follows failed attempt number `attempt` (1-based), taking the
    /// retry's cost from `quota` when it retries.
    public func decide(afterAttempt attempt: Int, failure: RetryableFailure, quota: inout RetryQuota) -> Decision {
        guard Self.isRetryable(failure) else { return .stop(.notRetryable) }
        guard attempt < maxAttempts else { return .stop(.attemptsExhausted) }
        let cost = failure == .timeout ? RetryQuota.timeoutRetryCost : RetryQuota.retryCost
        guard quota.acquire(cost) else { return .stop(.quotaExhausted) }
        return .retry(after: delay(afterAttempt: attempt), cost: cost)
    }
}
