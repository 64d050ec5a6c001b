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
        guard let pattern = field.validationPattern, !pattern.isEmpty, let regex = compile(pattern) else { return true }
        let whole = NSRange(value.startIndex..<value.endIndex, in: value)
        guard let match = regex.firstMatch(in: value, options: [.anchored], range: whole) else { return false }
        return match.range == whole
    }
}
