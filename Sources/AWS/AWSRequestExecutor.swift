import CryptoCore
import Foundation
import HTTPClient
import Logging
import Metrics

/// One request to an AWS service, before signing.
struct AWSRequest {
    var method: String
    /// Absolute, percent-encoded URL.
    var url: String
    var headers: [(name: String, value: String)]
    var body: HTTPRequestBody = .empty
    /// The payload hash to sign; nil computes it from the body (files are hashed by streaming).
    var payload: SigV4Signer.Payload? = nil
    /// Moves an object body: gets the long transfer timeout instead of the request timeout.
    var isTransfer = false
}

/// Signs, sends and retries requests for one service: the I/O half of the retry
/// logic, performing what `RetryStrategy` decides.
final class AWSRequestExecutor: Sendable {
    let configuration: AWSConfiguration
    let signingName: String
    let strategy: RetryStrategy
    private let http: HTTPClient
    private let logger: Logger
    private let quota = Locked(RetryQuota())
    private let clockSkew = Locked(ClockSkew())
    private let sleep: @Sendable (Duration) -> Void
    private let now: @Sendable () -> Date
    private let metrics: MetricsRegistry

    init(configuration: AWSConfiguration, signingName: String, http: HTTPClient, logger: Logger,
         strategy: RetryStrategy? = nil,
         sleep: @escaping @Sendable (Duration) -> Void = { duration in
             Thread.sleep(forTimeInterval: Double(duration.components.seconds)
                          + Double(duration.components.attoseconds) / 1e18)
         },
         now: @escaping @Sendable () -> Date = { Date() }, metrics: MetricsRegistry = .shared) {
        self.configuration = configuration
        self.signingName = signingName
        self.strategy = strategy ?? RetryStrategy(maxAttempts: configuration.maxAttempts)
        self.http = http
        self.logger = logger
        self.sleep = sleep
        self.now = now
        self.metrics = metrics
    }

    /// Waits as the executor waits between attempts (injectable in tests).
    func pause(_ delay: Duration) { sleep(delay) }

    /// Seconds added to the local clock when signing, learnt from AWS (see `ClockSkew`).
    var clockOffset: TimeInterval { clockSkew.withLock { $0.offset } }

    /// Tokens left in the retry quota (for tests and diagnostics).
    var availableRetryQuota: Int { quota.withLock { $0.available } }

    /// Performs `request` until it succeeds (2xx), fails for good, runs out of
    /// attempts or quota, or reaches the deadline.
    func perform(
        _ request: AWSRequest, operation: String,
        responseBodyTo destination: HTTPResponseDestination = .memory,
        options: AWSCallOptions = .standard
    ) throws(AWSFailure) -> HTTPResponse {
        let payload = try payloadHash(request)
        let logger = options.logger ?? self.logger
        var strategy = self.strategy
        if let attempts = options.maxAttempts { strategy.maxAttempts = max(1, attempts) }
        let perAttempt = request.isTransfer ? configuration.transferTimeout : configuration.requestTimeout
        var lastRetryCost: Int? = nil
        var skewCorrected = false
        var attempt = 0
        while true {
            attempt += 1
            var timeout = perAttempt
            if let deadline = options.deadline {
                let remaining = deadline - .now
                guard remaining > .zero else { throw AWSFailure.deadlineExceeded }
                timeout = min(timeout, remaining)
            }
            let credentials: AWSCredentials
            do {
                credentials = try configuration.credentialProvider.credentials()
            } catch let error as AWSCredentialsError {
                throw AWSFailure.credentials(error)
            } catch {
                throw AWSFailure.credentials(AWSCredentialsError(provider: "chain", reason: "\(error)"))
            }
            let signer = SigV4Signer(credentials: credentials, service: signingName, region: configuration.region)
            let signed: SigV4Signer.Signed
            do {
                signed = try signer.sign(method: request.method, url: request.url, headers: request.headers,
                                         payload: payload, date: clockSkew.withLock { $0.correcting(now()) })
            } catch {
                throw AWSFailure.invalidRequest("\(error)")
            }
            let httpRequest = HTTPRequest(
                method: request.method, url: request.url, headers: signed.headers, body: request.body,
                connectTimeout: min(configuration.connectTimeout, timeout), timeout: timeout)

            let failure: RetryableFailure
            let error: AWSFailure
            let sent = DispatchTime.now().uptimeNanoseconds
            do {
                let response = try http.execute(httpRequest, responseBodyTo: destination)
                let serviceError = response.isSuccess ? nil : AWSServiceError(response: response)
                count(operation, .of(status: response.status, code: serviceError?.code), since: sent)
                if response.isSuccess {
                    quota.withLock { $0.release(afterRetryCosting: lastRetryCost) }
                    return response
                }
                guard let serviceError else { preconditionFailure("a failed response has an error") }
                if !skewCorrected, clockSkew.withLock({
                    $0.learn(code: serviceError.code, serverDate: response.header("Date"), localNow: now())
                }) {
                    // Signed again at once with AWS's time; an attempt, not a retry of the quota.
                    skewCorrected = true
                    logger.warning("aws clock skew corrected", metadata: [
                        "operation": "\(operation)", "offset_seconds": "\(Int(clockOffset.rounded()))",
                    ])
                    continue
                }
                if ["ExpiredToken", "ExpiredTokenException"].contains(serviceError.code),
                   let cached = configuration.credentialProvider as? CachedCredentialProvider {
                    cached.invalidate()
                }
                failure = .service(status: serviceError.status, code: serviceError.code)
                error = .service(serviceError)
            } catch let transportError {
                count(operation, transportError.isTimeout ? .timeout : .transportError, since: sent)
                failure = transportError.isTimeout ? .timeout : .transport
                error = .transport(transportError)
            }

            let decision = quota.withLock { strategy.decide(afterAttempt: attempt, failure: failure, quota: &$0) }
            guard case .retry(let delay, let cost) = decision else {
                if case .stop(let reason) = decision, reason != .notRetryable {
                    logger.debug("aws request gave up", metadata: [
                        "operation": "\(operation)", "attempts": "\(attempt)", "reason": "\(reason)",
                        "error": "\(error.summary)",
                    ])
                }
                throw error
            }
            if let deadline = options.deadline, ContinuousClock.now + delay >= deadline {
                // Waiting would overrun the budget: report the real failure now.
                throw error
            }
            lastRetryCost = cost
            logger.debug("aws request retry", metadata: [
                "operation": "\(operation)", "attempt": "\(attempt)", "error": "\(error.summary)",
                "delay_ms": "\(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)",
            ])
            sleep(delay)
        }
    }

    /// One request sent, whatever became of it: counted and timed by
    /// operation (the counters every process publishes, see `MetricsRegistry`).
    private func count(_ operation: String, _ outcome: AWSRequestOutcome, since sent: UInt64) {
        metrics.increment(.awsRequests, [Label("service", signingName), Label("operation", operation),
                                         Label("outcome", outcome.rawValue)])
        metrics.observe(.awsRequestDuration, [Label("service", signingName), Label("operation", operation)],
                        Double(DispatchTime.now().uptimeNanoseconds - sent) / 1e9)
    }

    private func payloadHash(_ request: AWSRequest) throws(AWSFailure) -> SigV4Signer.Payload {
        if let payload = request.payload { return payload }
        switch request.body {
        case .empty:
            return .precomputedHash(SigV4Signer.Payload.emptyHash)
        case .bytes(let bytes):
            return .precomputedHash(SHA256.hexDigest(bytes))
        case .file(let path, let offset, let length):
            do {
                return .precomputedHash(Hex.encode(try SHA256.hash(fileAt: path, offset: offset, length: length)))
            } catch {
                throw AWSFailure.transport(HTTPClientError(kind: .localFile, message: error.description))
            }
        }
    }
}

extension AWSFailure {
    var summary: String {
        switch self {
        case .service(let error): error.description
        case .transport(let error): error.description
        case .credentials(let error): error.description
        case .deadlineExceeded: "deadline exceeded"
        case .invalidRequest(let reason): reason
        }
    }
}
