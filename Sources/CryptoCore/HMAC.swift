import COpenSSL

/// Keyed-hash message authentication codes (RFC 2104).
public enum HMAC {
    /// The hash function under the MAC.
    public enum Algorithm: Sendable {
        /// HMAC-SHA256: SigV4 signing keys and signatures.
        case sha256
        /// HMAC-SHA1: Twilio's request signature.
        case sha1

        var outputLength: Int {
            switch self {
            case .sha256: 32
            case .sha1: 20
            }
        }
    }

    /// The MAC of `message` under `key`.
    public static func authenticationCode<Key: Collection, Message: Collection>(
        _ algorithm: Algorithm, key: Key, message: Message
    ) -> [UInt8] where Key.Element == UInt8, Message.Element == UInt8 {
        let key = Array(key)
        let message = Array(message)
        return key.withUnsafeBytes { keyBuffer in
            message.withUnsafeBytes { messageBuffer in
                compute(algorithm, key: keyBuffer, message: messageBuffer)
            }
        }
    }

    /// HMAC-SHA256 of `message` under `key`.
    public static func sha256<Key: Collection, Message: Collection>(key: Key, message: Message) -> [UInt8]
    where Key.Element == UInt8, Message.Element == UInt8 {
        authenticationCode(.sha256, key: key, message: message)
    }

    /// HMAC-SHA256 of a string's UTF-8 bytes under `key`.
    public static func sha256<Key: Collection>(key: Key, message: String) -> [UInt8] where Key.Element == UInt8 {
        authenticationCode(.sha256, key: key, message: message.utf8)
    }

    /// HMAC-SHA1 of `message` under `key`.
    public static func sha1<Key: Collection, Message: Collection>(key: Key, message: Message) -> [UInt8]
    where Key.Element == UInt8, Message.Element == UInt8 {
        authenticationCode(.sha1, key: key, message: message)
    }

    /// RFC 2104 over the fetched digest: H((K ^ opad) || H((K ^ ipad) || m)),
    /// the key hashed first when longer than the block.
    private static func compute(
        _ algorithm: Algorithm, key: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer
    ) -> [UInt8] {
        let digest = algorithm.fetched
        var block = [UInt8](repeating: 0, count: blockSize)
        if key.count > blockSize {
            let hashed = FetchedDigest.digest(digest, length: algorithm.outputLength, key)
            block.replaceSubrange(0..<hashed.count, with: hashed)
        } else {
            block.replaceSubrange(0..<key.count, with: key)
        }
        let innerPad = block.map { $0 ^ 0x36 }
        let outerPad = block.map { $0 ^ 0x5C }
        let inner = innerPad.withUnsafeBytes { FetchedDigest.digest(digest, length: algorithm.outputLength, $0, message) }
        return outerPad.withUnsafeBytes { outer in
            inner.withUnsafeBytes { FetchedDigest.digest(digest, length: algorithm.outputLength, outer, $0) }
        }
    }

    /// SHA-1's and SHA-256's block, in bytes.
    private static let blockSize = 64
}

extension HMAC.Algorithm {
    var fetched: OpaquePointer {
        switch self {
        case .sha256: FetchedDigest.sha256
        case .sha1: FetchedDigest.sha1
        }
    }
}
