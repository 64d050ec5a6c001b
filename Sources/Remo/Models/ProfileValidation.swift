import Foundation

/// Checks and normal forms for profile details.
public enum ProfileValidation {
    /// `rawValue` in the form stored for `field`, or why it is not acceptable.
    public static func normalize(_ rawValue: String, for field: ProfileField) throws(ValidationError) -> String {
        let value = rawValue.trimmingCharacters(in: .whitespacesAndNewlines)
        switch field {
        case .email: return try email(value)
        case .wallet: return try wallet(value)
        case .firstName, .lastName: return try name(value, field: field)
        case .phoneNumber: return try phoneNumber(value)
        case .timezone: return try TimeZoneName.validate(value)
        case .language: return try language(value)
        }
    }

    /// A lowercased address with one `@`, a non-empty local part and a dotted domain.
    /// Deliverability is the mail system's business; this catches typos like a missing `@`.
    public static func email(_ text: String) throws(ValidationError) -> String {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        let valid = text.count <= 254 && parts.count == 2 && !parts[0].isEmpty
            && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && !text.contains(where: { $0.isWhitespace })
            && !TextField.containsControlCharacters(text)
        guard valid else { throw ValidationError(field: "email", reason: "\(text) is not an email address") }
        return String(parts[0]) + "@" + parts[1].lowercased()
    }

    /// E.164: `+`, then 8 to 15 digits; spaces, dashes, dots and parentheses are dropped.
    public static func phoneNumber(_ text: String) throws(ValidationError) -> String {
        let kept = text.filter { !" -.()".contains($0) }
        let digits = kept.dropFirst()
        guard kept.hasPrefix("+"), (8...15).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              digits.first != "0"
        else {
            throw ValidationError(field: "phone_number",
                                  reason: "\(text) is not a phone number in international form, like +14155550123")
        }
        return String(kept)
    }

    /// An Ethereum address (`0x` + 40 hex digits, stored lowercase) or a Solana
    /// address (32–44 base58 characters): the two wallet kinds Privy issues.
    public static func wallet(_ text: String) throws(ValidationError) -> String {
        if text.lowercased().hasPrefix("0x") {
            let hex = text.dropFirst(2)
            if hex.count == 40, hex.allSatisfy(\.isHexDigit) { return "0x" + hex.lowercased() }
        } else {
            let base58 = Set("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
            if (32...44).contains(text.count), text.allSatisfy({ base58.contains($0) }) { return text }
        }
        throw ValidationError(field: "wallet", reason: "\(text) is not an Ethereum (0x…) or Solana wallet address")
    }

    /// A name of 1–100 characters with at least one letter and no control characters or digits.
    public static func name(_ text: String, field: ProfileField) throws(ValidationError) -> String {
        guard (1...100).contains(text.count), text.contains(where: \.isLetter), !text.contains(where: \.isNumber),
              !TextField.containsControlCharacters(text)
        else { throw ValidationError(field: field.rawValue, reason: "\(text) does not look like a name") }
        return text
    }

    /// A BCP 47 language tag (`en`, `hi-IN`, `zh-Hant-TW`), or the English name
    /// of a common language (`Hindi` → `hi`).
    public static func language(_ text: String) throws(ValidationError) -> String {
        if let tag = languageNames[text.lowercased()] { return tag }
        let subtags = text.split(separator: "-", omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: "_", omittingEmptySubsequences: false) }
        guard let primary = subtags.first, (2...3).contains(primary.count),
              primary.allSatisfy({ $0.isASCII && $0.isLetter }),
              subtags.dropFirst().allSatisfy({ (2...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } })
        else {
            throw ValidationError(field: "language", reason: "\(text) is not a language tag (like en or hi-IN)")
        }
        var normalized = [primary.lowercased()]
        for subtag in subtags.dropFirst() {
            switch subtag.count {
            case 2 where subtag.allSatisfy(\.isLetter): normalized.append(subtag.uppercased())
            case 4 where subtag.allSatisfy(\.isLetter): normalized.append(subtag.prefix(1).uppercased() + subtag.dropFirst().lowercased())
            default: normalized.append(subtag.lowercased())
            }
        }
        return normalized.joined(separator: "-")
    }

    private static let languageNames: [String: String] = [
        "english": "en", "hindi": "hi", "spanish": "es", "french": "fr", "german": "de", "italian": "it",
        "portuguese": "pt", "japanese": "ja", "chinese": "zh", "korean": "ko", "arabic": "ar", "russian": "ru",
        "bengali": "bn", "tamil": "ta", "telugu": "te", "marathi": "mr", "gujarati": "gu", "kannada": "kn",
        "malayalam": "ml", "punjabi": "pa", "urdu": "ur", "dutch": "nl", "turkish": "tr",
    ]
}
