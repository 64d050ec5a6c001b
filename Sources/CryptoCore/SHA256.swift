import COpenSSL

/// SHA-256, one-shot or streamed.
///
/// The one-shot form hashes bytes already in memory; `SHA256.Hasher` hashes input
/// that arrives in pieces (a file read in chunks) so memory stays flat.
public enum SHA256 {
    /// Length of a SHA-256 digest in bytes.
    public static let digestLength = 32

    /// The digest of `bytes`.
    public static func hash<Bytes: Collection>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        let hashed = bytes.withContiguousStorageIfAvailable { buffer in
            hash(buffer: UnsafeRawBufferPointer(buffer))
        }
        if let hashed { return hashed }
        let copy = Array(bytes)
        return copy.withUnsafeBytes { hash(buffer: $0) }
    }

    /// The digest of a string's UTF-8 bytes.
    public static func hash(_ string: String) -> [UInt8] {
        var string = string
        return string.withUTF8 { hash(buffer: UnsafeRawBufferPointer($0)) }
    }

    /// The lowercase hex digest, the form SigV4 and most protocols use.
    public static func hexDigest<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        Hex.encode(hash(bytes))
    }

    /// The lowercase hex digest of a string's UTF-8 bytes.
    public static func hexDigest(_ string: String) -> String {
        Hex.encode(hash(string))
    }

    static func hash(buffer: UnsafeRawBufferPointer) -> [UInt8] {
        FetchedDigest.digest(FetchedDigest.sha256, length: digestLength, buffer)
    }

    /// An incremental SHA-256 computation.
    ///
    /// Not thread-safe: one hasher belongs to one computation.
    public final class Hasher {
        private let context: OpaquePointer
        private var finished = false

        /// Starts an empty computation.
        public init() {
            guard let context = EVP_MD_CTX_new() else {
                preconditionFailure("EVP_MD_CTX_new failed: out of memory")
            }
            precondition(EVP_DigestInit_ex(context, FetchedDigest.sha256, nil) == 1, "EVP_DigestInit_ex failed")
            self.context = context
        }

        deinit { EVP_MD_CTX_free(context) }

        /// Feeds more input.
        public func update(_ buffer: UnsafeRawBufferPointer) {
            precondition(!finished, "SHA256.Hasher used after finalize()")
            guard buffer.count > 0 else { return }
            precondition(EVP_DigestUpdate(context, buffer.baseAddress, buffer.count) == 1, "EVP_DigestUpdate failed")
        }

        /// Feeds more input.
        public func update<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
            let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
            if done == nil { Array(bytes).withUnsafeBytes { update($0) } }
        }

        /// Ends the computation and returns the digest; the hasher cannot be used afterwards.
        public func finalize() -> [UInt8] {
            precondition(!finished, "SHA256.Hasher finalized twice")
            finished = true
            var digest = [UInt8](repeating: 0, count: SHA256.digestLength)
            var length: UInt32 = 0
            let ok = digest.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
            precondition(ok == 1 && length == SHA256.digestLength, "EVP_DigestFinal_ex failed")
            return digest
        }
    }
}
