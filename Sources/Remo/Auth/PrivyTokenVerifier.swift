import CryptoCore
import Foundation

/// Verifies Privy access tokens: ES256 JWTs signed with the app's key
/// (`PRIVY_VERIFICATION_KEY`), issued by `privy.io` for `PRIVY_APP_ID`.
///
/// Checks run cheapest-first and the algorithm before anything else, so `alg:
/// none`, HS256 keyed with the public PEM (the classic key-confusion attack) and
/// RS256 are refused without touching the key. The payload is parsed only after
/// the signature verifies.
public struct PrivyTokenVerifier: Sendable {
    /// The only issuer Privy uses.
    public static let issuer = "privy.io"

    private let key: ECDSAP256.PublicKey
    private let appId: String
    private let allowedClockSkew: TimeInterval

    /// - Parameters:
    ///   - verificationKeyPEM: the SPKI PEM from Privy's dashboard. Literal `\n`
    ///     sequences (how a PEM usually survives a one-line `.env` value) are read as newlines.
    ///   - appId: `PRIVY_APP_ID`, the required audience.
    ///   - allowedClockSkew: tolerance for `exp`, `iat` and `nbf` against `now`.
    public init(verificationKeyPEM: String, appId: String, allowedClockSkew: TimeInterval = 60) throws(ECDSAP256.Error) {
        let pem = verificationKeyPEM.replacingOccurrences(of: "\\n", with: "\n")
        key = try ECDSAP256.PublicKey(pemRepresentation: pem)
        self.appId = appId
        self.allowedClockSkew = max(0, allowedClockSkew)
    }

    /// The claims of `token` if it is valid at `now`, else why not.
    public func verify(_ token: String, now: Date) throws(PrivyTokenError) -> PrivyClaims {
        let parts = try JWTParts(token)
        guard let alg = parts.header.alg else { throw .malformed("header has no alg") }
        guard alg == "ES256" else { throw .unsupportedAlgorithm(alg) }
        if let critical = parts.header.crit, !critical.isEmpty {
            // RFC 7515 §4.1.11: extensions we do not implement must make the token invalid.
            throw .malformed("unsupported critical header parameters \(critical)")
        }
        guard key.isValidSignature(parts.signature, for: parts.signingInput) else { throw .badSignature }

        guard let claims = try? JSONDecoder().decode(RawClaims.self, from: Data(parts.payload)) else {
            throw .malformed("payload is not a JSON object of the expected claim types")
        }
        guard claims.iss == Self.issuer else { throw .wrongIssuer }
        guard let audience = claims.aud?.values, audience.contains(appId) else { throw .wrongAudience }
        guard let exp = claims.exp, exp.isFinite else { throw .malformed("no numeric exp claim") }
        guard let iat = claims.iat, iat.isFinite else { throw .malformed("no numeric iat claim") }
        let current = now.timeIntervalSince1970
        guard current <= exp + allowedClockSkew else { throw .expired }
        guard iat <= current + allowedClockSkew else { throw .notYetValid }
        if let nbf = claims.nbf {
            guard nbf.isFinite, nbf <= current + allowedClockSkew else { throw .notYetValid }
        }
        guard let subject = claims.sub, !subject.isEmpty else { throw .missingSubject }
        return PrivyClaims(
            userId: subject, sessionId: claims.sid, issuer: Self.issuer, audience: audience,
            issuedAt: Date(timeIntervalSince1970: iat), expiresAt: Date(timeIntervalSince1970: exp))
    }
}
