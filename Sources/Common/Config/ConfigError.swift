/// A configuration value that cannot be used. Names the variable, never prints a
/// secret's value.
public enum ConfigError: Error, CustomStringConvertible, Equatable {
    case invalid(variable: String, value: String, expected: String)
    case missing(variable: String, reason: String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalid(let variable, let value, let expected):
            let shown = Secrets.isSecret(variable) ? "(hidden)" : "'\(value)'"
            return "\(variable)=\(shown) is not valid: expected \(expected)"
        case .missing(let variable, let reason):
            return "\(variable) is not set: \(reason)"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        }
    }
}

/// Which names hold secrets, so that neither errors nor logs ever show their values.
public enum Secrets {
    static let markers = ["SECRET", "TOKEN", "PASSWORD", "API_KEY", "PRIVATE", "VERIFICATION_KEY", "AUTHORIZATION"]

    private static let markerBytes = markers.map { Array($0.utf8) }

    public static func isSecret(_ name: String) -> Bool {
        guard name.utf8.allSatisfy({ $0 < 0x80 }) else {
            let upper = name.uppercased()
            return markers.contains { upper.contains($0) }
        }
        // Every log line asks this of each of its keys: over bytes, not Foundation's search.
        let upper = name.utf8.map { (97...122).contains($0) ? $0 - 32 : $0 }
        return markerBytes.contains { occurs($0, in: upper) }
    }

    /// The generic subsequence search of the standard library's string
    /// processing is many times slower on these few short bytes.
    private static func occurs(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= haystack.count else { return needle.isEmpty }
        for start in 0...(haystack.count - needle.count) where haystack[start] == first {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}
