import COpenSSL

/// ECDSA over NIST P-256 with SHA-256 (JOSE "ES256", RFC 7518 §3.4), on OpenSSL 3's
/// EVP_PKEY API.
///
/// Signatures are the JOSE form: 64 bytes, `r || s`, each a 32-byte big-endian
/// integer. OpenSSL speaks DER, so this file converts at the boundary; nothing
/// outside it sees a C pointer.
public enum ECDSAP256 {
    /// Length of a raw `r || s` signature in bytes.
    public static let signatureLength = 64

    /// Why a key could not be loaded or made, or a signature not produced.
    public enum Error: Swift.Error, Equatable, CustomStringConvertible {
        /// The PEM text is not a public (SPKI) or private (PKCS#8) key OpenSSL can read.
        case invalidPEM
        /// The key is valid but not an EC key on P-256.
        case wrongKeyType
        /// OpenSSL failed while generating, signing or exporting (out of memory or similar).
        case openSSLFailure(String)

        public var description: String {
            switch self {
            case .invalidPEM: "not a PEM-encoded key"
            case .wrongKeyType: "the key is not an ECDSA P-256 key"
            case .openSSLFailure(let step): "OpenSSL failed: \(step)"
            }
        }
    }

    /// A public key that verifies ES256 signatures. Immutable, safe to share across threads.
    public struct PublicKey: Sendable {
        let key: KeyHandle

        /// Loads a public key from PEM ("-----BEGIN PUBLIC KEY-----", SubjectPublicKeyInfo).
        public init(pemRepresentation pem: String) throws(Error) {
            let key = try KeyHandle.read(pem: pem, privateKey: false)
            try key.requireP256()
            self.key = key
        }

        init(key: KeyHandle) { self.key = key }

        /// The key as SubjectPublicKeyInfo PEM.
        public var pemRepresentation: String {
            get throws(Error) { try key.writePEM(privateKey: false) }
        }

        /// Whether `signature` (raw `r || s`) is a valid ES256 signature of `message`.
        ///
        /// False for a signature of the wrong length or with `r` or `s` outside
        /// `[1, n-1]`; those are rejected before OpenSSL is asked.
        public func isValidSignature<Signature: Collection, Message: Collection>(
            _ signature: Signature, for message: Message
        ) -> Bool where Signature.Element == UInt8, Message.Element == UInt8 {
            let raw = Array(signature)
            guard raw.count == ECDSAP256.signatureLength else { return false }
            let r = Array(raw[0..<32])
            let s = Array(raw[32..<64])
            guard ScalarRange.contains(r), ScalarRange.contains(s) else { return false }
            guard let der = DERSignature.encode(r: r, s: s) else { return false }
            return key.verify(der: der, message: Array(message))
        }
    }

    /// A private key that signs with ES256. For tests and tooling: the server only verifies.
    public struct PrivateKey: Sendable {
        let key: KeyHandle

        /// A fresh key pair from OpenSSL's CSPRNG.
        public init() throws(Error) {
            key = try KeyHandle.generate()
        }

        /// Loads a private key from PEM (PKCS#8 "BEGIN PRIVATE KEY" or SEC1 "BEGIN EC PRIVATE KEY").
        public init(pemRepresentation pem: String) throws(Error) {
            let key = try KeyHandle.read(pem: pem, privateKey: true)
            try key.requireP256()
            self.key = key
        }

        /// The matching public key.
        public var publicKey: PublicKey { PublicKey(key: key) }

        /// The key as unencrypted PKCS#8 PEM.
        public var pemRepresentation: String {
            get throws(Error) { try key.writePEM(privateKey: true) }
        }

        /// The raw `r || s` ES256 signature of `message` (randomized, so it differs on every call).
        public func signature<Message: Collection>(for message: Message) throws(Error) -> [UInt8]
        where Message.Element == UInt8 {
            let der = try key.sign(message: Array(message))
            guard let raw = DERSignature.decode(der) else {
                throw .openSSLFailure("decoding OpenSSL's DER signature")
            }
            return raw
        }
    }
}

/// Owns one `EVP_PKEY`. OpenSSL 3 allows concurrent verify/sign operations on a
/// key that is no longer modified, which is how this type is used after init;
/// hence `@unchecked Sendable`.
final class KeyHandle: @unchecked Sendable {
    private let pointer: OpaquePointer

    private init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { EVP_PKEY_free(pointer) }

    static func read(pem: String, privateKey: Bool) throws(ECDSAP256.Error) -> KeyHandle {
        let bytes = Array(pem.utf8)
        guard !bytes.isEmpty, bytes.count < Int32.max else { throw .invalidPEM }
        let loaded: OpaquePointer? = bytes.withUnsafeBytes { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return privateKey
                ? PEM_read_bio_PrivateKey(bio, nil, nil, nil)
                : PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        }
        // A failed parse leaves entries in this thread's error queue; later unrelated
        // OpenSSL calls would otherwise report them.
        ERR_clear_error()
        guard let loaded else { throw .invalidPEM }
        return KeyHandle(loaded)
    }

    static func generate() throws(ECDSAP256.Error) -> KeyHandle {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else {
            throw .openSSLFailure("EVP_PKEY_CTX_new_from_name")
        }
        defer { EVP_PKEY_CTX_free(context) }
        var generated: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1,
              EVP_PKEY_CTX_set_group_name(context, "P-256") == 1,
              EVP_PKEY_generate(context, &generated) == 1,
              let generated
        else {
            ERR_clear_error()
            throw .openSSLFailure("generating a P-256 key")
        }
        return KeyHandle(generated)
    }

    func requireP256() throws(ECDSAP256.Error) {
        guard EVP_PKEY_is_a(pointer, "EC") == 1 else { throw .wrongKeyType }
        var name = [CChar](repeating: 0, count: 64)
        var length = 0
        let ok = EVP_PKEY_get_group_name(pointer, &name, name.count, &length)
        ERR_clear_error()
        guard ok == 1 else { throw .wrongKeyType }
        let group = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // OpenSSL reports the curve by its SEC/X9.62 name.
        guard group == "prime256v1" || group == "P-256" else { throw .wrongKeyType }
    }

    func verify(der: [UInt8], message: [UInt8]) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        defer { ERR_clear_error() }
        guard EVP_DigestVerifyInit(context, nil, FetchedDigest.sha256, nil, pointer) == 1 else { return false }
        let result = der.withUnsafeBufferPointer { signature in
            message.withUnsafeBufferPointer { data in
                EVP_DigestVerify(context, signature.baseAddress, signature.count, data.baseAddress, data.count)
            }
        }
        // 0 is a bad signature, a negative value a malformed one: both are "not valid".
        return result == 1
    }

    func sign(message: [UInt8]) throws(ECDSAP256.Error) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw .openSSLFailure("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, FetchedDigest.sha256, nil, pointer) == 1 else {
            ERR_clear_error()
            throw .openSSLFailure("EVP_DigestSignInit (is this a private key?)")
        }
        var length = 0
        let sized = message.withUnsafeBufferPointer { data in
            EVP_DigestSign(context, nil, &length, data.baseAddress, data.count)
        }
        guard sized == 1, length > 0 else {
            ERR_clear_error()
            throw .openSSLFailure("EVP_DigestSign (size)")
        }
        var der = [UInt8](repeating: 0, count: length)
        let signed = der.withUnsafeMutableBufferPointer { out in
            message.withUnsafeBufferPointer { data in
                EVP_DigestSign(context, out.baseAddress, &length, data.baseAddress, data.count)
            }
        }
        guard signed == 1 else {
            ERR_clear_error()
            throw .openSSLFailure("EVP_DigestSign")
        }
        return Array(der.prefix(length))
    }

    func writePEM(privateKey: Bool) throws(ECDSAP256.Error) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw .openSSLFailure("BIO_new") }
        defer { BIO_free(bio) }
        let written = privateKey
            ? PEM_write_bio_PrivateKey(bio, pointer, nil, nil, 0, nil, nil)
            : PEM_write_bio_PUBKEY(bio, pointer)
        guard written == 1 else {
            ERR_clear_error()
            throw .openSSLFailure("writing PEM")
        }
        let pending = BIO_ctrl_pending(bio)
        var text = [UInt8](repeating: 0, count: pending)
        let read = text.withUnsafeMutableBytes { BIO_read(bio, $0.baseAddress, Int32(pending)) }
        guard read == Int32(pending) else { throw .openSSLFailure("reading PEM from memory BIO") }
        return String(decoding: text, as: UTF8.self)
    }
}

/// The valid range of an ECDSA scalar on P-256: `1 ... n-1`.
enum ScalarRange {
    /// The order `n` of the P-256 base point, big-endian.
    static let order: [UInt8] = [
        0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
    ]

    /// Whether the 32-byte big-endian `scalar` is in `[1, n-1]`. Signatures are
    /// public, so an early-exit comparison leaks nothing.
    static func contains(_ scalar: [UInt8]) -> Bool {
        guard scalar.count == 32, scalar.contains(where: { $0 != 0 }) else { return false }
        for (a, b) in zip(scalar, order) where a != b {
            return a < b
        }
        return false
    }
}

/// Conversion between raw `r || s` and the DER `ECDSA-Sig-Value` OpenSSL expects.
enum DERSignature {
    static func encode(r: [UInt8], s: [UInt8]) -> [UInt8]? {
        guard let signature = ECDSA_SIG_new() else { return nil }
        defer { ECDSA_SIG_free(signature) }
        let bigR = r.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) }
        let bigS = s.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) }
        guard let bigR, let bigS else {
            BN_free(bigR)
            BN_free(bigS)
            return nil
        }
        // ECDSA_SIG_set0 takes ownership of both numbers on success only.
        guard ECDSA_SIG_set0(signature, bigR, bigS) == 1 else {
            BN_free(bigR)
            BN_free(bigS)
            return nil
        }
        let length = i2d_ECDSA_SIG(signature, nil)
        guard length > 0 else { return nil }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_ECDSA_SIG(signature, &cursor)
        }
        guard written == length else { return nil }
        return der
    }

    static func decode(_ der: [UInt8]) -> [UInt8]? {
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &cursor, buffer.count)
        }
        guard let parsed else {
            ERR_clear_error()
            return nil
        }
        defer { ECDSA_SIG_free(parsed) }
        guard let r = ECDSA_SIG_get0_r(parsed), let s = ECDSA_SIG_get0_s(parsed) else { return nil }
        var raw = [UInt8](repeating: 0, count: ECDSAP256.signatureLength)
        let ok = raw.withUnsafeMutableBufferPointer { out in
            BN_bn2binpad(r, out.baseAddress, 32) == 32 && BN_bn2binpad(s, out.baseAddress! + 32, 32) == 32
        }
        return ok ? raw : nil
    }
}
