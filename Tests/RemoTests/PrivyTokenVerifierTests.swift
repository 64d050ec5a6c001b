import CryptoCore
import Foundation
import Remo
import XCTest

final class PrivyTokenVerifierTests: XCTestCase {
    private let issued = Date(timeIntervalSince1970: 1_795_500_000)
    private var now: Date { issued.addingTimeInterval(600) }

    private func verifier(_ factory: TokenFactory, skew: TimeInterval = 60) throws -> PrivyTokenVerifier {
        try PrivyTokenVerifier(verificationKeyPEM: try factory.publicKeyPEM, appId: factory.appId, allowedClockSkew: skew)
    }

    private func assertRefused(_ token: String, by verifier: PrivyTokenVerifier, at date: Date? = nil,
                               _ expected: PrivyTokenError, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try verifier.verify(token, now: date ?? now), file: file, line: line) { error in
            XCTAssertEqual(error as? PrivyTokenError, expected, file: file, line: line)
        }
    }

    func testValidTokenGivesClaims() throws {
        let factory = try TokenFactory()
        let claims = try verifier(factory).verify(try factory.token(factory.claims(issuedAt: issued)), now: now)
        XCTAssertEqual(claims.userId, "did:privy:user-a")
        XCTAssertEqual(claims.sessionId, "session-1")
        XCTAssertEqual(claims.issuer, "privy.io")
        XCTAssertEqual(claims.audience, [factory.appId])
        XCTAssertEqual(claims.issuedAt, issued)
        XCTAssertEqual(claims.expiresAt, issued.addingTimeInterval(3600))
    }

    /// A token PyJWT signed with a key made by Python's `cryptography`.
    func testTokenSignedByPyJWT() throws {
        let pem = """
            -----BEGIN PUBLIC KEY-----
            MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAED/fGuo0s2KSxDitcQcgY/Yz3w0sT
            LcQyA+1v2OKKnbvA9EorcZD/W902lBMuqz1+3oQY4JO9z6lsJEJUV7qxVw==
            -----END PUBLIC KEY-----
            """
        let token = "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzaWQiOiJjbTNzZXNzaW9uYWJjIiwiaXNzIjoicHJpdnkuaW8iLCJpYXQiOjE3OTU1MDAwMDAsImF1ZCI6ImNtM2FwcGlkMTIzIiwic3ViIjoiZGlkOnByaXZ5OmNtM3VzZXIwMDAxIiwiZXhwIjoxNzk1NTAzNjAwfQ.WUR34tapsgy1sPLRiyE5PqoM_NvRPaQU6G9blME-EAQFF97R_jddN7v8JlpkDtoxbRDs5kZpWAG9W5PgjSKYQw"
        // The PEM as it arrives from a one-line .env value.
        let oneLine = pem.replacingOccurrences(of: "\n", with: "\\n")
        let verifier = try PrivyTokenVerifier(verificationKeyPEM: oneLine, appId: "cm3appid123")
        let claims = try verifier.verify(token, now: now)
        XCTAssertEqual(claims.userId, "did:privy:cm3user0001")
        XCTAssertEqual(claims.sessionId, "cm3sessionabc")
        XCTAssertEqual(claims.expiresAt, Date(timeIntervalSince1970: 1_795_503_600))
    }

    func testAlgorithmNoneIsRefused() throws {
        let factory = try TokenFactory()
        let verifier = try verifier(factory)
        let unsigned = factory.encode(["alg": "none", "typ": "JWT"]) + "." + factory.encode(factory.claims(issuedAt: issued))
        assertRefused(unsigned + ".", by: verifier, .malformed("signature is not base64url"))
        assertRefused(unsigned + ".AAAA", by: verifier, .unsupportedAlgorithm("none"))
        let signedHeaderSwap = try factory.token(factory.claims(issuedAt: issued), header: ["alg": "none"])
        assertRefused(signedHeaderSwap, by: verifier, .unsupportedAlgorithm("none"))
        let noAlg = try factory.token(factory.claims(issuedAt: issued), header: ["typ": "JWT"])
        assertRefused(noAlg, by: verifier, .malformed("header has no alg"))
    }

    /// The key-confusion attack: HS256 keyed with the public PEM the server holds.
    func testHS256WithPublicKeyAsSecretIsRefused() throws {
        let factory = try TokenFactory()
        let verifier = try verifier(factory)
        let signingInput = factory.encode(["alg": "HS256", "typ": "JWT"]) + "." + factory.encode(factory.claims(issuedAt: issued))
        let mac = HMAC.sha256(key: Array(try factory.publicKeyPEM.utf8), message: signingInput)
        assertRefused(signingInput + "." + Base64.encodeURL(mac), by: verifier, .unsupportedAlgorithm("HS256"))
        let rs256 = try factory.token(factory.claims(issuedAt: issued), header: ["alg": "RS256"])
        assertRefused(rs256, by: verifier, .unsupportedAlgorithm("RS256"))
        let lowercase = try factory.token(factory.claims(issuedAt: issued), header: ["alg": "es256"])
        assertRefused(lowercase, by: verifier, .unsupportedAlgorithm("es256"))
    }

    func testBadSignatureIsRefused() throws {
        let factory = try TokenFactory()
        let verifier = try verifier(factory)
        let token = try factory.token(factory.claims(issuedAt: issued))
        let parts = token.split(separator: ".").map(String.init)

        // Claims changed after signing.
        var forged = factory.claims(issuedAt: issued)
        forged["sub"] = "did:privy:user-b"
        assertRefused(parts[0] + "." + factory.encode(forged) + "." + parts[2], by: verifier, .badSignature)

        // Signed by another key.
        let stranger = try TokenFactory()
        assertRefused(try stranger.token(stranger.claims(issuedAt: issued)), by: verifier, .badSignature)

        // Truncated signature.
        let short = Base64.encodeURL(Base64.decodeURL(parts[2])!.dropLast())
        assertRefused(parts[0] + "." + parts[1] + "." + short, by: verifier, .badSignature)
    }

    func testStrictBase64URL() throws {
        let factory = try TokenFactory()
        let verifier = try verifier(factory)
        let token = try factory.token(factory.claims(issuedAt: issued))
        let parts = token.split(separator: ".").map(String.init)
        // A 64-byte signature needs padding in standard base64: "==" must be refused.
        assertRefused(token + "==", by: verifier, .malformed("signature is not base64url"))
        let standardAlphabet = parts[2].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        if standardAlphabet != parts[2] {
            assertRefused(parts[0] + "." + parts[1] + "." + standardAlphabet, by: verifier, .malformed("signature is not base64url"))
        }
        assertRefused(parts[0] + "." + parts[1] + "." + parts[2] + ".extra", by: verifier,
                      .malformed("expected three dot-separated parts"))
        assertRefused("not a token", by: verifier, .malformed("expected three dot-separated parts"))
        assertRefused(parts[0] + " ." + parts[1] + "." + parts[2], by: verifier, .malformed("header is not base64url"))
        assertRefused(String(repeating: "a", count: 9000), by: verifier, .malformed("token too long"))
    }

    func testExpiryAndNotBeforeWithSkew() throws {
        let factory = try TokenFactory()
        let strict = try verifier(factory, skew: 0)
        let lenient = try verifier(factory, skew: 60)
        let token = try factory.token(factory.claims(issuedAt: issued))
        let expiry = issued.addingTimeInterval(3600)

        XCTAssertNoThrow(try strict.verify(token, now: expiry))
        assertRefused(token, by: strict, at: expiry.addingTimeInterval(1), .expired)
        XCTAssertNoThrow(try lenient.verify(token, now: expiry.addingTimeInterval(59)))
        assertRefused(token, by: lenient, at: expiry.addingTimeInterval(61), .expired)

        // Issued a little in the future by a clock ahead of ours.
        assertRefused(token, by: strict, at: issued.addingTimeInterval(-1), .notYetValid)
        XCTAssertNoThrow(try lenient.verify(token, now: issued.addingTimeInterval(-59)))
        assertRefused(token, by: lenient, at: issued.addingTimeInterval(-61), .notYetValid)

        var notBefore = factory.claims(issuedAt: issued)
        notBefore["nbf"] = Int(issued.timeIntervalSince1970) + 1200
        assertRefused(try factory.token(notBefore), by: lenient, at: issued.addingTimeInterval(600), .notYetValid)
    }

    func testIssuerAudienceAndSubject() throws {
        let factory = try TokenFactory()
        let verifier = try verifier(factory)

        var wrongIssuer = factory.claims(issuedAt: issued)
        wrongIssuer["iss"] = "evil.example"
        assertRefused(try factory.token(wrongIssuer), by: verifier, .wrongIssuer)

        var wrongAudience = factory.claims(issuedAt: issued)
        wrongAudience["aud"] = "another-app"
        assertRefused(try factory.token(wrongAudience), by: verifier, .wrongAudience)

        var noAudience = factory.claims(issuedAt: issued)
        noAudience["aud"] = nil
        assertRefused(try factory.token(noAudience), by: verifier, .wrongAudience)

        var arrayAudience = factory.claims(issuedAt: issued)
        arrayAudience["aud"] = ["another-app", factory.appId]
        XCTAssertEqual(try verifier.verify(try factory.token(arrayAudience), now: now).audience, ["another-app", factory.appId])

        assertRefused(try factory.token(factory.claims(issuedAt: issued, subject: nil)), by: verifier, .missingSubject)
        assertRefused(try factory.token(factory.claims(issuedAt: issued, subject: "")), by: verifier, .missingSubject)

        var textExpiry = factory.claims(issuedAt: issued)
        textExpiry["exp"] = "tomorrow"
        assertRefused(try factory.token(textExpiry), by: verifier,
                      .malformed("payload is not a JSON object of the expected claim types"))
    }

    func testTypIsOptionalAndCriticalHeadersAreRefused() throws {
        let factory = try TokenFactory()
        let verifier = try verifier(factory)
        XCTAssertNoThrow(try verifier.verify(try factory.token(factory.claims(issuedAt: issued), header: ["alg": "ES256"]), now: now))
        let critical = try factory.token(factory.claims(issuedAt: issued), header: ["alg": "ES256", "crit": ["exp"]])
        XCTAssertThrowsError(try verifier.verify(critical, now: now))
    }

    func testBearerHeader() {
        XCTAssertEqual(BearerToken.extract(fromAuthorization: "Bearer abc.def.ghi"), "abc.def.ghi")
        XCTAssertEqual(BearerToken.extract(fromAuthorization: "bearer   abc "), "abc")
        XCTAssertNil(BearerToken.extract(fromAuthorization: "Basic dXNlcjpwYXNz"))
        XCTAssertNil(BearerToken.extract(fromAuthorization: "Bearer "))
        XCTAssertNil(BearerToken.extract(fromAuthorization: nil))
    }

    func testVerifierRefusesAKeyThatIsNotP256() {
        XCTAssertThrowsError(try PrivyTokenVerifier(verificationKeyPEM: "not a key", appId: "x"))
    }
}
