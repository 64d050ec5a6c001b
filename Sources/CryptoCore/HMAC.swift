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

    private static func compute(
        _ algorithm: Algorithm, key: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer
    ) -> [UInt8] {
        let md = switch algorithm {
        case .sha256: EVP_sha256()
        case .sha1: EVP_sha1()
        }
        var output = [UInt8](repeating: 0, count: algorithm.outputLength)
        var length: UInt32 = 0
        // OpenSSL reads a null key pointer as "no key" only when the length is 0, but
        // some builds reject null outright; a one-byte dummy keeps empty keys valid.
        var empty: UInt8 = 0
        let result = output.withUnsafeMutableBufferPointer { out in
            withUnsafeMutablePointer(to: &empty) { emptyPointer in
                COpenSSL.HMAC(
                    md,
                    key.baseAddress ?? UnsafeRawPointer(emptyPointer), Int32(key.count),
                    message.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(emptyPointer), message.count,
                    out.baseAddress, &length)
            }
        }
        precondition(result != nil && Int(length) == algorithm.outputLength, "HMAC() failed")
        return output
    }
}
