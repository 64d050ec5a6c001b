import Foundation

/// Checks a value against a field's `validation_pattern`.
public enum FieldValidator {
    /// Compiles an agent's pattern; nil when it is not a valid ICU regular expression.
    public static func compile(_ pattern: String) -> NSRegularExpression? {
        try? NSRegularExpression(pattern: pattern, options: [])
    }

    /// Whether the whole value matches the field's pattern.
    ///
    /// A field without a pattern accepts anything. A pattern that does not
    /// compile also accepts anything: it is an operator's mistake, and turning it
    /// into a question no caller can answer would trap every call of the agent
    /// (`Agent.configurationProblems()` reports it at save time instead).
    public static func accepts(_ value: String, for field: DataField) -> Bool {
        guard let pattern = field.validationPattern, !pattern.isEmpty,
              let regex = CompiledPatterns.shared.regex(for: pattern) else { return true }
        let whole = NSRange(value.startIndex..<value.endIndex, in: value)
        guard let match = regex.firstMatch(in: value, options: [.anchored], range: whole) else { return false }
        return match.range == whole
    }
}

/// Validation patterns compiled once per process. Compiling costs far more than
/// matching (ICU builds the Unicode set of every `\p{…}` anew), and a turn checks
/// its field's pattern every time. A compiled expression is immutable and safe to
/// match from any thread.
final class CompiledPatterns: @unchecked Sendable {
    static let shared = CompiledPatterns(capacity: 512)

    private let lock = NSLock()
    private let capacity: Int
    /// nil values remember patterns that do not compile.
    private var compiled: [String: NSRegularExpression?] = [:]

    init(capacity: Int) {
        self.capacity = capacity
    }

    func regex(for pattern: String) -> NSRegularExpression? {
        if let known = lock.withLock({ compiled[pattern] }) { return known }
        let regex = FieldValidator.compile(pattern)
        lock.withLock {
            // Patterns come from operators' agents: a handful per host. Starting
            // over when full bounds memory against churn without bookkeeping.
            if compiled.count >= capacity { compiled.removeAll(keepingCapacity: true) }
            compiled[pattern] = regex
        }
        return regex
    }

    var count: Int { lock.withLock { compiled.count } }
}
