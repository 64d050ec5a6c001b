import HTTPClient

/// Why an S3 call failed. Service errors carry AWS's message.
public enum S3Error: Error, Sendable, CustomStringConvertible {
    case noSuchKey(message: String)
    case noSuchBucket(message: String)
    case noSuchUpload(message: String)
    /// The credentials are valid but not allowed to do this.
    case accessDenied(message: String)
    /// The signature does not match: wrong secret key, or a signing defect.
    case signatureMismatch(message: String)
    /// The access key or session token is unknown, invalid or expired.
    case invalidToken(code: String, message: String)
    /// The bucket name is taken by another account.
    case bucketAlreadyExists(message: String)
    /// The bucket exists and belongs to this account.
    case bucketAlreadyOwnedByYou(message: String)
    /// S3 is throttling (`SlowDown`) after the retries the strategy allowed.
    case throttling(code: String, message: String)
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
    /// A local file could not be read or written.
    case localFile(String)

    init(_ failure: AWSFailure) {
        switch failure {
        case .transport(let error) where error.kind == .localFile: self = .localFile(error.message)
        case .transport(let error): self = .transport(error)
        case .deadlineExceeded: self = .deadlineExceeded
        case .credentials(let error): self = .credentials(error.description)
        case .invalidRequest(let reason): self = .invalidResponse(reason)
        case .service(let error): self = S3Error(service: error)
        }
    }

    init(service error: AWSServiceError) {
        let message = error.message
        switch error.code {
        case "NoSuchKey": self = .noSuchKey(message: message)
        case "NoSuchBucket": self = .noSuchBucket(message: message)
        case "NoSuchUpload": self = .noSuchUpload(message: message)
        case "AccessDenied", "Forbidden", "AllAccessDisabled": self = .accessDenied(message: message)
        case "SignatureDoesNotMatch": self = .signatureMismatch(message: message)
        case "InvalidAccessKeyId", "InvalidToken", "ExpiredToken", "InvalidClientTokenId", "TokenRefreshRequired":
            self = .invalidToken(code: error.code, message: message)
        case "BucketAlreadyExists": self = .bucketAlreadyExists(message: message)
        case "BucketAlreadyOwnedByYou": self = .bucketAlreadyOwnedByYou(message: message)
        case let code where RetryStrategy.throttlingCodes.contains(code): self = .throttling(code: code, message: message)
        default: self = .other(status: error.status, code: error.code, message: message)
        }
    }

    public var description: String {
        switch self {
        case .noSuchKey(let message): "S3 no such key: \(message)"
        case .noSuchBucket(let message): "S3 no such bucket: \(message)"
        case .noSuchUpload(let message): "S3 no such multipart upload: \(message)"
        case .accessDenied(let message): "S3 access denied: \(message)"
        case .signatureMismatch(let message): "S3 signature mismatch (check the secret key): \(message)"
        case .invalidToken(let code, let message): "S3 rejected the credentials (\(code)): \(message)"
        case .bucketAlreadyExists(let message): "S3 bucket name taken: \(message)"
        case .bucketAlreadyOwnedByYou(let message): "S3 bucket already owned by you: \(message)"
        case .throttling(let code, let message): "S3 throttling (\(code)): \(message)"
        case .other(let status, let code, let message): "S3 error \(code) (HTTP \(status)): \(message)"
        case .transport(let error): "S3 unreachable: \(error)"
        case .deadlineExceeded: "S3 call exceeded its deadline"
        case .credentials(let reason): "no AWS credentials: \(reason)"
        case .invalidResponse(let reason): "S3 invalid response: \(reason)"
        case .localFile(let reason): "S3 local file error: \(reason)"
        }
    }
}
