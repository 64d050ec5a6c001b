import COpenSSL

/// MD5, only for protocols that still require it as a checksum (S3's `Content-MD5`).
/// Not for security.
public enum MD5 {
    /// The 16-byte digest of `bytes`.
    public static func hash<Bytes: Collection>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        let input = Array(bytes)
        var digest = [UInt8](repeating: 0, count: 16)
        var length: UInt32 = 0
        let ok = input.withUnsafeBytes { buffer in
            digest.withUnsafeMutableBufferPointer { out in
                EVP_Digest(buffer.baseAddress, buffer.count, out.baseAddress, &length, EVP_md5(), nil)
            }
        }
        precondition(ok == 1 && length == 16, "EVP_Digest(MD5) failed")
        return digest
    }
}
