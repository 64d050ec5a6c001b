import CryptoCore
import XCTest

final class ECDSATests: XCTestCase {
    /// A key, message and signature made by Python's `cryptography` (the signing
    /// input and signature of a PyJWT ES256 token), so verification is checked
    /// against an implementation that shares nothing with ours.
    static let pythonPublicKeyPEM = """
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAED/fGuo0s2KSxDitcQcgY/Yz3w0sT
        LcQyA+1v2OKKnbvA9EorcZD/W902lBMuqz1+3oQY4JO9z6lsJEJUV7qxVw==
        -----END PUBLIC KEY-----
        """
    static let pythonSigningInput = "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzaWQiOiJjbTNzZXNzaW9uYWJjIiwiaXNzIjoicHJpdnkuaW8iLCJpYXQiOjE3OTU1MDAwMDAsImF1ZCI6ImNtM2FwcGlkMTIzIiwic3ViIjoiZGlkOnByaXZ5OmNtM3VzZXIwMDAxIiwiZXhwIjoxNzk1NTAzNjAwfQ"
    static let pythonSignature = "WUR34tapsgy1sPLRiyE5PqoM_NvRPaQU6G9blME-EAQFF97R_jddN7v8JlpkDtoxbRDs5kZpWAG9W5PgjSKYQw"

    /// P-256's group order n, big-endian.
    static let order = Hex.decode("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")!

    func testVerifiesIndependentSignature() throws {
        let key = try ECDSAP256.PublicKey(pemRepresentation: Self.pythonPublicKeyPEM)
        let signature = try XCTUnwrap(Base64.decodeURL(Self.pythonSignature))
        XCTAssertTrue(key.isValidSignature(signature, for: Array(Self.pythonSigningInput.utf8)))
        XCTAssertFalse(key.isValidSignature(signature, for: Array((Self.pythonSigningInput + "x").utf8)))
    }

    func testSignAndVerifyRoundTrip() throws {
        let privateKey = try ECDSAP256.PrivateKey()
        let message = Array("attack at dawn".utf8)
        let signature = try privateKey.signature(for: message)
        XCTAssertEqual(signature.count, ECDSAP256.signatureLength)
        XCTAssertTrue(privateKey.publicKey.isValidSignature(signature, for: message))
        XCTAssertFalse(privateKey.publicKey.isValidSignature(signature, for: Array("attack at dusk".utf8)))

        var tampered = signature
        tampered[10] ^= 0x01
        XCTAssertFalse(privateKey.publicKey.isValidSignature(tampered, for: message))

        let otherKey = try ECDSAP256.PrivateKey()
        XCTAssertFalse(otherKey.publicKey.isValidSignature(signature, for: message))
    }

    func testRejectsMalformedSignatures() throws {
        let privateKey = try ECDSAP256.PrivateKey()
        let message = Array("m".utf8)
        let signature = try privateKey.signature(for: message)
        let key = privateKey.publicKey
        XCTAssertFalse(key.isValidSignature(Array(signature.dropLast()), for: message))
        XCTAssertFalse(key.isValidSignature(signature + [0], for: message))
        XCTAssertFalse(key.isValidSignature([UInt8](), for: message))
        let r = Array(signature[0..<32])
        let s = Array(signature[32..<64])
        let zero = [UInt8](repeating: 0, count: 32)
        XCTAssertFalse(key.isValidSignature(zero + s, for: message), "r = 0")
        XCTAssertFalse(key.isValidSignature(r + zero, for: message), "s = 0")
        XCTAssertFalse(key.isValidSignature(r + Self.order, for: message), "s = n")
        XCTAssertFalse(key.isValidSignature(Self.order + s, for: message), "r = n")
        XCTAssertFalse(key.isValidSignature(r + [UInt8](repeating: 0xff, count: 32), for: message), "s > n")
        // A DER signature (what OpenSSL itself emits) is not a JOSE signature.
        XCTAssertFalse(key.isValidSignature([0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01], for: message))
    }

    func testPEMRoundTrips() throws {
        let privateKey = try ECDSAP256.PrivateKey()
        let publicPEM = try privateKey.publicKey.pemRepresentation
        XCTAssertTrue(publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        let reloaded = try ECDSAP256.PublicKey(pemRepresentation: publicPEM)
        let message = Array("hello".utf8)
        XCTAssertTrue(reloaded.isValidSignature(try privateKey.signature(for: message), for: message))

        let privatePEM = try privateKey.pemRepresentation
        XCTAssertTrue(privatePEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let reloadedPrivate = try ECDSAP256.PrivateKey(pemRepresentation: privatePEM)
        XCTAssertTrue(privateKey.publicKey.isValidSignature(try reloadedPrivate.signature(for: message), for: message))
        XCTAssertEqual(try reloadedPrivate.publicKey.pemRepresentation, publicPEM)
    }

    func testRefusesOtherKeys() {
        XCTAssertThrowsError(try ECDSAP256.PublicKey(pemRepresentation: "")) { error in
            XCTAssertEqual(error as? ECDSAP256.Error, .invalidPEM)
        }
        XCTAssertThrowsError(try ECDSAP256.PublicKey(pemRepresentation: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")) { error in
            XCTAssertEqual(error as? ECDSAP256.Error, .invalidPEM)
        }
        let ed25519 = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAJdXPyLiaZOg8e0NmacAB4oz29Qyn8yWZjKIibLXVH44=\n-----END PUBLIC KEY-----\n"
        XCTAssertThrowsError(try ECDSAP256.PublicKey(pemRepresentation: ed25519)) { error in
            XCTAssertEqual(error as? ECDSAP256.Error, .wrongKeyType)
        }
        let p384 = """
            -----BEGIN PUBLIC KEY-----
            MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEsVyzZKjArirIwtIgmRlY56JHoYvP4I6j
            kfKzGdeszzrdoH1/P2k5fBCkBnWjMYguNo/xuxixvIqOGqukxAeCzrj0qn2GBico
            pwHpzUNXJzDBCW2YvqZjIZ/0wfSL7QHc
            -----END PUBLIC KEY-----
            """
        XCTAssertThrowsError(try ECDSAP256.PublicKey(pemRepresentation: p384)) { error in
            XCTAssertEqual(error as? ECDSAP256.Error, .wrongKeyType)
        }
    }

    func testConcurrentVerificationWithOneKey() async throws {
        let privateKey = try ECDSAP256.PrivateKey()
        let message = Array("shared".utf8)
        let signature = try privateKey.signature(for: message)
        let key = privateKey.publicKey
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<64 { group.addTask { key.isValidSignature(signature, for: message) } }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        XCTAssertEqual(results, Array(repeating: true, count: 64))
    }
}
