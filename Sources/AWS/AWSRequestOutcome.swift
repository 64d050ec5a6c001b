/// What became of one HTTP request to AWS, as the `outcome` label of
/// `voice_aws_requests_total` names it.
public enum AWSRequestOutcome: String, Sendable, CaseIterable {
    case ok
    /// Asked to slow down (a throttling code, or 429).
    case throttled
    /// A condition of the request did not hold (DynamoDB's condition
    /// expressions, S3's preconditions): the answer the caller asked for, not a fault.
    case conditionalFailed = "conditional_failed"
    case clientError = "client_error"
    case serverError = "server_error"
    case transportError = "transport_error"
    case timeout

    /// The outcome of a response with `status` and error `code` (nil when it had none).
    public static func of(status: Int, code: String?) -> AWSRequestOutcome {
        if (200..<300).contains(status) { return .ok }
        if status == 429 || code.map(RetryStrategy.throttlingCodes.contains) == true { return .throttled }
        if code == "ConditionalCheckFailedException" || status == 412 { return .conditionalFailed }
        return status >= 500 ? .serverError : .clientError
    }
}
