/// Why a Privy access token was refused. Every case means HTTP 401.
public enum PrivyTokenError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not three base64url parts, not JSON, a claim of the wrong type, or too large.
    case malformed(String)
    /// Any `alg` but ES256 (`none`, HS256, RS256…), refused before any signature work.
    case unsupportedAlgorithm(String)
    /// The signature does not verify against the configured key (or has the wrong length).
    case badSignature
    /// `exp` is in the past by more than the allowed clock skew.
    case expired
    /// `iat` or `nbf` is in the future by more than the allowed clock skew.
    case notYetValid
    /// `iss` is not `privy.io`.
    case wrongIssuer
    /// `aud` does not name this app's `PRIVY_APP_ID`.
    case wrongAudience
    /// No `sub`: the token does not say which user it is for.
    case missingSubject

    public var description: String {
        switch self {
        case .malformed(let reason): "malformed token: \(reason)"
        case .unsupportedAlgorithm(let alg): "unsupported algorithm \(alg); only ES256 is accepted"
        case .badSignature: "invalid signature"
        case .expired: "token expired"
        case .notYetValid: "token not yet valid"
        case .wrongIssuer: "wrong issuer"
        case .wrongAudience: "wrong audience"
        case .missingSubject: "token has no subject"
        }
    }
}
