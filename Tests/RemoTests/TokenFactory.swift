import CryptoCore
import Foundation

/// Builds compact JWTs for tests, signed with a key made on the spot.
struct TokenFactory {
    let privateKey: ECDSAP256.PrivateKey
    let appId = "cm3appid123"

    init() throws { privateKey = try ECDSAP256.PrivateKey() }

    var publicKeyPEM: String { get throws { try privateKey.publicKey.pemRepresentation } }

    /// Claims Privy would issue at `issuedAt`, valid one hour.
    func claims(issuedAt: Date, subject: String? = "did:privy:user-a") -> [String: Any] {
        var claims: [String: Any] = [
            "sid": "session-1", "iss": "privy.io", "aud": appId,
            "iat": Int(issuedAt.timeIntervalSince1970), "exp": Int(issuedAt.timeIntervalSince1970) + 3600,
        ]
        if let subject { claims["sub"] = subject }
        return claims
    }

    func encode(_ object: [String: Any]) -> String {
        Base64.encodeURL(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    /// An ES256 token over `claims` with `header` (alg ES256 and typ JWT unless overridden).
    func token(_ claims: [String: Any], header: [String: Any] = ["alg": "ES256", "typ": "JWT"]) throws -> String {
        let signingInput = encode(header) + "." + encode(claims)
        let signature = try privateKey.signature(for: Array(signingInput.utf8))
        return signingInput + "." + Base64.encodeURL(signature)
    }
}
