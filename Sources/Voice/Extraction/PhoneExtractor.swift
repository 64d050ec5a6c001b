/// Hears a phone number: typed digits with any separators ("+1 555-010-0199",
/// "(555) 010 0199") or spoken ones ("five five five oh one oh…", "double
/// five", Hindi digit words), ignoring the words around them ("my number is").
public enum PhoneExtractor {
    /// The number in E.164 form when it can be made so, else the digits heard
    /// (with a leading `+` if one was said); nil when fewer than 7 digits were heard.
    ///
    /// - Parameter defaultCountryCode: the calling code assumed for a number said
    ///   without one (e.g. "1" for an `en-US` agent, "91" for `hi-IN`).
    public static func extract(from text: String, defaultCountryCode: String?) -> String? {
        var digits = ""
        var plus = false
        var pendingRepeat = 1
        let tokens = SpokenWords.tokens(SpokenWords.asciiDigits(text))
        for token in tokens {
            if token == "plus" || token == "प्लस" {
                if digits.isEmpty { plus = true }
                continue
            }
            if let times = SpokenWords.repetition(token) {
                pendingRepeat = times
                continue
            }
            if (token == "oh" || token == "o") && !digits.isEmpty {
                // "Oh" is zero only inside a number; at the start it is a filler.
                digits += String(repeating: "0", count: pendingRepeat)
                pendingRepeat = 1
                continue
            }
            if token == "hundred", !digits.isEmpty {
                digits += "00"
                continue
            }
            if let digit = SpokenWords.digit(token) {
                digits += String(repeating: String(digit), count: pendingRepeat)
                pendingRepeat = 1
                continue
            }
            let typed = token.filter { $0.isASCII && $0.isNumber }
            if !typed.isEmpty {
                if digits.isEmpty && token.hasPrefix("+") { plus = true }
                // A repetition word applies to the first digit of a typed group only.
                if pendingRepeat > 1, let first = typed.first {
                    digits += String(repeating: String(first), count: pendingRepeat - 1)
                }
                digits += typed
                pendingRepeat = 1
            }
        }
        guard digits.count >= 7 else { return nil }
        let heard = (plus ? "+" : "") + digits
        return PhoneNumber.normalize(heard, defaultCountryCode: defaultCountryCode) ?? heard
    }
}
