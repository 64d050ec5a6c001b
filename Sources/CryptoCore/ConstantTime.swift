import COpenSSL

/// Comparisons whose duration does not depend on where inputs differ, for secrets
/// such as signatures and tokens.
public enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes. Only the lengths leak through timing.
    public static func equals<A: Collection, B: Collection>(_ a: A, _ b: B) -> Bool
    where A.Element == UInt8, B.Element == UInt8 {
        let a = Array(a)
        let b = Array(b)
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { pa in
            b.withUnsafeBytes { pb in CRYPTO_memcmp(pa.baseAddress, pb.baseAddress, a.count) == 0 }
        }
    }

    /// Whether two strings have the same UTF-8 bytes, compared in constant time.
    public static func equals(_ a: String, _ b: String) -> Bool {
        equals(a.utf8, b.utf8)
    }
}
