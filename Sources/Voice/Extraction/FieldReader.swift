/// Reads the value of a `data_to_fill` field out of a caller's words,
/// according to the field's kind.
public enum FieldReader {
    /// The value heard, before validation; nil when the words hold none.
    ///
    /// Free-text fields take the words as said, minus leading hesitations
    /// ("um, uh"), and need at least two letters or digits.
    public static func value(for field: DataField, in text: String, language: String) -> String? {
        switch field.kind {
        case .personName:
            return NameExtractor.extract(from: text)
        case .email:
            return EmailExtractor.extract(from: text)
        case .phone:
            return PhoneExtractor.extract(from: text, defaultCountryCode: PhoneNumber.defaultCountryCode(forLanguage: language))
        case .contact:
            return EmailExtractor.extract(from: text)
                ?? PhoneExtractor.extract(from: text, defaultCountryCode: PhoneNumber.defaultCountryCode(forLanguage: language))
        case .freeText:
            return freeText(text)
        }
    }

    private static let hesitations: Set<String> = ["um", "umm", "uh", "uhh", "er", "erm", "hmm", "उम", "अं"]

    static func freeText(_ text: String) -> String? {
        var rest = Substring(text)
        while true {
            let trimmed = rest.drop(while: { $0.isWhitespace || $0 == "," || $0 == "." })
            let word = trimmed.prefix(while: { !$0.isWhitespace && $0 != "," && $0 != "." })
            if !word.isEmpty, hesitations.contains(word.lowercased()) {
                rest = trimmed.dropFirst(word.count)
            } else {
                rest = trimmed
                break
            }
        }
        var value = String(rest)
        while let last = value.last, last.isWhitespace { value.removeLast() }
        guard value.filter({ $0.isLetter || $0.isNumber }).count >= 2 else { return nil }
        return value
    }
}
