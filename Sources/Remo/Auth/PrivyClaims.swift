import Foundation

/// The verified content of a Privy access token.
public struct PrivyClaims: Equatable, Sendable {
    /// `sub`: the Privy user id (`did:privy:…`), the key of all the user's data.
    public let userId: String
    /// `sid`: Privy's session id, when present.
    public let sessionId: String?
    /// `iss`, always `privy.io` once verified.
    public let issuer: String
    /// `aud`, as one or more app ids.
    public let audience: [String]
    /// `iat`.
    public let issuedAt: Date
    /// `exp`.
    public let expiresAt: Date

    public init(userId: String, sessionId: String?, issuer: String, audience: [String], issuedAt: Date, expiresAt: Date) {
        self.userId = userId
        self.sessionId = sessionId
        self.issuer = issuer
        self.audience = audience
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }
}
