import Foundation

/// An AWS access key pair, with the session token of temporary credentials.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible {
    /// The access key id (`AKIA…`, `ASIA…`): not secret, safe to log.
    public var accessKeyId: String
    /// The secret access key: never logged.
    public var secretAccessKey: String
    /// The session token of temporary credentials: never logged.
    public var sessionToken: String?
    /// When temporary credentials stop working; nil for long-term keys.
    public var expiration: Date?

    /// Creates credentials from their parts.
    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    /// Only the key id: printing credentials must never reveal the secret.
    public var description: String {
        "AWSCredentials(accessKeyId: \(accessKeyId), secret: <redacted>\(sessionToken == nil ? "" : ", token: <redacted>"))"
    }
}
