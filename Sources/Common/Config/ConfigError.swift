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

    public static func isSecret(_ name: String) -> Bool {
        let upper = name.uppercased()
        return markers.contains { upper.contains($0) }
    }
}
