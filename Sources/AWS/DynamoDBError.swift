import HTTPClient

/// Why a DynamoDB call failed. Service errors carry AWS's message.
public enum DynamoDBError: Error, Sendable, CustomStringConvertible {
    /// A condition expression was false. `item` is the current item when the request
    /// asked for it (`ReturnValuesOnConditionCheckFailure`).
    case conditionalCheckFailed(message: String, item: DynamoDBItem?)
    /// The table or index does not exist (or is not active yet).
    case resourceNotFound(message: String)
    /// The table already exists or is being created/deleted.
    case resourceInUse(message: String)
    /// The request is invalid (bad expression, key schema mismatch, item too large, …).
    case validation(message: String)
    /// DynamoDB is throttling (after the retries the strategy allowed).
    case throttling(code: String, message: String)
    /// The credentials are valid but not allowed to do this.
    case accessDenied(message: String)
    /// The signature does not match: wrong secret key, or a signing defect.
    case signatureMismatch(message: String)
    /// The access key or session token is unknown, invalid or expired.
    case invalidToken(code: String, message: String)
    /// A transaction was cancelled; one reason per item, in request order
    /// (`"None"` for items that were fine).
    case transactionCanceled(message: String, reasons: [CancellationReason])
    /// Any other service error.
    case other(status: Int, code: String, message: String)
    /// No response: network failure or timeout (see `HTTPClientError.kind`).
    case transport(HTTPClientError)
    /// The call's deadline passed before it could complete.
    case deadlineExceeded
    /// No credentials could be found.
    case credentials(String)
    /// The response could not be understood, or the request could not be built.
    case invalidResponse(String)

    /// The reason one item of a transaction was cancelled.
    public struct CancellationReason: Sendable, Equatable {
        /// `None`, `ConditionalCheckFailed`, `TransactionConflict`, `ValidationError`, …
        public var code: String
        /// AWS's message, when there is one.
        public var message: String?
        /// The item's current value, when requested.
        public var item: DynamoDBItem?
    }

    init(_ failure: AWSFailure) {
        switch failure {
        case .transport(let error): self = .transport(error)
        case .deadlineExceeded: self = .deadlineExceeded
        case .credentials(let error): self = .credentials(error.description)
        case .invalidRequest(let reason): self = .invalidResponse(reason)
        case .service(let error): self = DynamoDBError(service: error)
        }
    }

    init(service error: AWSServiceError) {
        let message = error.message
        switch error.code {
        case "ConditionalCheckFailedException":
            self = .conditionalCheckFailed(message: message, item: error.json?["Item"].flatMap { try? AttributeValue.item(json: $0) })
        case "ResourceNotFoundException":
            self = .resourceNotFound(message: message)
        case "ResourceInUseException":
            self = .resourceInUse(message: message)
        case "ValidationException", "SerializationException":
            self = .validation(message: message)
        case "AccessDeniedException", "AccessDenied":
            self = .accessDenied(message: message)
        case "InvalidSignatureException", "SignatureDoesNotMatch":
            self = .signatureMismatch(message: message)
        case "UnrecognizedClientException", "InvalidClientTokenId", "MissingAuthenticationToken",
             "MissingAuthenticationTokenException", "ExpiredTokenException", "ExpiredToken", "IncompleteSignatureException":
            self = .invalidToken(code: error.code, message: message)
        case "TransactionCanceledException":
            let reasons = (error.json?["CancellationReasons"]?.array ?? []).map { reason in
                CancellationReason(code: reason["Code"]?.string ?? "None", message: reason["Message"]?.string,
                                   item: reason["Item"].flatMap { try? AttributeValue.item(json: $0) })
            }
            self = .transactionCanceled(message: message, reasons: reasons)
        case let code where RetryStrategy.throttlingCodes.contains(code):
            self = .throttling(code: code, message: message)
        default:
            self = .other(status: error.status, code: error.code, message: message)
        }
    }

    public var description: String {
        switch self {
        case .conditionalCheckFailed(let message, _): "DynamoDB conditional check failed: \(message)"
        case .resourceNotFound(let message): "DynamoDB resource not found: \(message)"
        case .resourceInUse(let message): "DynamoDB resource in use: \(message)"
        case .validation(let message): "DynamoDB validation error: \(message)"
        case .throttling(let code, let message): "DynamoDB throttling (\(code)): \(message)"
        case .accessDenied(let message): "DynamoDB access denied: \(message)"
        case .signatureMismatch(let message): "DynamoDB signature mismatch (check the secret key): \(message)"
        case .invalidToken(let code, let message): "DynamoDB rejected the credentials (\(code)): \(message)"
        case .transactionCanceled(let message, let reasons):
            "DynamoDB transaction canceled [\(reasons.map(\.code).joined(separator: ", "))]: \(message)"
        case .other(let status, let code, let message): "DynamoDB error \(code) (HTTP \(status)): \(message)"
        case .transport(let error): "DynamoDB unreachable: \(error)"
        case .deadlineExceeded: "DynamoDB call exceeded its deadline"
        case .credentials(let reason): "no AWS credentials: \(reason)"
        case .invalidResponse(let reason): "DynamoDB invalid response: \(reason)"
        }
    }

    /// Whether this is a conditional-check failure (the common "already exists" case).
    public var isConditionalCheckFailed: Bool {
        if case .conditionalCheckFailed = self { true } else { false }
    }
}
