import COpenSSL

/// Digest implementations fetched from OpenSSL once per process. OpenSSL 3
/// looks an implementation up (a locked table) on every init that names one
/// by `EVP_sha256()` and the like: more than the hashing itself costs for
/// the short messages of a webhook signature or a SigV4 request.
enum FetchedDigest {
    // nonisolated(unsafe): an EVP_MD is immutable once fetched, and OpenSSL
    // documents fetched algorithms as safe to share between threads.
    nonisolated(unsafe) static let sha256: OpaquePointer = fetch("SHA256")
    nonisolated(unsafe) static let sha1: OpaquePointer = fetch("SHA1")

    private static func fetch(_ name: String) -> OpaquePointer {
        guard let digest = EVP_MD_fetch(nil, name, nil) else { preconditionFailure("OpenSSL has no \(name)") }
        return digest
    }

    /// The digest of the concatenated `parts`.
    static func digest(_ algorithm: OpaquePointer, length: Int, _ parts: UnsafeRawBufferPointer...) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { preconditionFailure("EVP_MD_CTX_new failed: out of memory") }
        defer { EVP_MD_CTX_free(context) }
        precondition(EVP_DigestInit_ex(context, algorithm, nil) == 1, "EVP_DigestInit_ex failed")
        for part in parts where part.count > 0 {
            precondition(EVP_DigestUpdate(context, part.baseAddress, part.count) == 1, "EVP_DigestUpdate failed")
        }
        var output = [UInt8](repeating: 0, count: length)
        var written: UInt32 = 0
        let ok = output.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &written) }
        precondition(ok == 1 && Int(written) == length, "EVP_DigestFinal_ex failed")
        return output
    }
}
