import Foundation

/// E.164 phone numbers: validation, normalisation, and masking for logs.
public enum PhoneNumber {
    /// Whether the text is an E.164 number: `+`, a non-zero country code digit,
    /// then 7 to 15 digits in all. (E.164 allows up to 15; the lower bound admits
    /// the short numbers of small numbering plans and of test setups.)
    public static func isE164(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 8, bytes.count <= 16, bytes[0] == UInt8(ascii: "+"),
              bytes[1] >= UInt8(ascii: "1"), bytes[1] <= UInt8(ascii: "9")
        else { return false }
        return bytes.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// Brings a number as people write it to E.164, or nil when it cannot be.
    ///
    /// Spaces, dashes, dots, slashes and parentheses are dropped; a leading `00`
    /// is read as `+`. A number without a country code gets `defaultCountryCode`
    /// when given: for "1" (NANP) a 10-digit number, or 11 digits starting with 1;
    /// for other codes, a national number after dropping one trunk `0`.
    public static func normalize(_ text: String, defaultCountryCode: String? = nil) -> String? {
        var body = text.trimmingCharacters(in: .whitespaces)
        guard !body.isEmpty else { return nil }
        var international = false
        if body.hasPrefix("+") {
            international = true
            body.removeFirst()
        }
        var digits = ""
        for character in body {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if !" -./()\u{00A0}".contains(character) {
                return nil
            }
        }
        if !international, digits.hasPrefix("00") {
            international = true
            digits.removeFirst(2)
        }
        if international {
            let candidate = "+" + digits
            return isE164(candidate) ? candidate : nil
        }
        guard let code = defaultCountryCode, !code.isEmpty, code.allSatisfy(\.isNumber) else { return nil }
        let candidate: String
        if code == "1" {
            if digits.count == 10 {
                candidate = "+1" + digits
            } else if digits.count == 11, digits.hasPrefix("1") {
                candidate = "+" + digits
            } else {
                return nil
            }
        } else if digits.hasPrefix(code), digits.count > code.count + 6 {
            // The caller said the country code without a plus ("91 98…").
            candidate = "+" + digits
        } else {
            candidate = "+" + code + (digits.hasPrefix("0") ? String(digits.dropFirst()) : digits)
        }
        return isE164(candidate) ? candidate : nil
    }

    /// The calling code for a language tag's region (`en-US` → "1", `hi-IN` → "91"),
    /// for numbers said without one; nil for regions not listed.
    public static func defaultCountryCode(forLanguage language: String) -> String? {
        let parts = language.split(whereSeparator: { $0 == "-" || $0 == "_" })
        if parts.count >= 2, let code = callingCodes[parts[parts.count - 1].uppercased()] { return code }
        if parts.first?.lowercased() == "hi" { return "91" }
        return nil
    }

    private static let callingCodes: [String: String] = [
        "US": "1", "CA": "1", "GB": "44", "IN": "91", "AU": "61", "NZ": "64", "IE": "353", "ZA": "27",
        "DE": "49", "FR": "33", "ES": "34", "IT": "39", "MX": "52", "BR": "55", "JP": "81", "SG": "65",
    ]

    /// The number for a log line: every digit but the last four replaced by `*`,
    /// so `+15550100199` becomes `+*******0199`. Other characters are kept (they
    /// carry no identity). A number of four digits or fewer is masked entirely,
    /// so a log never shows a whole number.
    public static func masked(_ text: String) -> String {
        let digitCount = text.reduce(0) { $0 + ($1.isNumber ? 1 : 0) }
        let keep = digitCount > 4 ? 4 : 0
        var seen = 0
        return String(text.map { character in
            guard character.isNumber else { return character }
            seen += 1
            return seen > digitCount - keep ? character : "*"
        })
    }
}
