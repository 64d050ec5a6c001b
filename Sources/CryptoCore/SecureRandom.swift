import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's CSPRNG.
public enum SecureRandom {
    /// `count` random bytes.
    public static func bytes(count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return out }
        let ok = out.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        // RAND_bytes fails only when the CSPRNG cannot be seeded; continuing would hand
        // out predictable tokens, so stopping is the safe answer.
        precondition(ok == 1, "RAND_bytes failed: the system CSPRNG is unavailable")
        return out
    }

    /// A random lowercase hex string of `byteCount` random bytes (twice as many characters).
    public static func hexString(byteCount: Int) -> String {
        Hex.encode(bytes(count: byteCount))
    }
}
