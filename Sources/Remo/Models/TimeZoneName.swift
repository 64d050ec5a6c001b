import Foundation

/// Time zone names as users may give them, checked against the IANA database
/// Foundation carries.
public enum TimeZoneName {
    /// The canonical spelling of an IANA zone name given in any case
    /// (`asia/kolkata` → `Asia/Kolkata`), plus `UTC`.
    ///
    /// Abbreviations (`IST`, `EST`, `GMT+5`) are refused although Foundation knows
    /// some: they are ambiguous (IST is India, Israel or Ireland) or, for fixed
    /// offsets, silently wrong half the year.
    public static func validate(_ text: String) throws(ValidationError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.caseInsensitiveCompare("UTC") == .orderedSame || trimmed.caseInsensitiveCompare("Etc/UTC") == .orderedSame {
            return "UTC"
        }
        guard trimmed.contains("/"), trimmed.count <= 64 else { throw invalid(trimmed) }
        if TimeZone(identifier: trimmed) != nil { return trimmed }
        // Foundation matches names case-sensitively, and its list of known names
        // lacks some current ones (it has Asia/Calcutta, not Asia/Kolkata): try the
        // list, then the usual capitalization of each word.
        let lowered = trimmed.lowercased()
        if let known = TimeZone.knownTimeZoneIdentifiers.first(where: { $0.lowercased() == lowered }) {
            return known
        }
        let capitalized = capitalizeWords(lowered)
        if TimeZone(identifier: capitalized) != nil { return capitalized }
        throw invalid(trimmed)
    }

    private static func invalid(_ name: String) -> ValidationError {
        ValidationError(field: "timezone", reason: "\(name) is not an IANA time zone name (like Asia/Kolkata or America/New_York)")
    }

    /// "america/new_york" → "America/New_York".
    private static func capitalizeWords(_ text: String) -> String {
        var result = ""
        var startOfWord = true
        for character in text {
            result.append(startOfWord ? Character(character.uppercased()) : character)
            startOfWord = "/_-".contains(character)
        }
        return result
    }

    /// The zone for a stored name, UTC when the name is missing or unknown.
    public static func zone(named name: String?) -> TimeZone {
        guard let name, name != "UTC", let zone = TimeZone(identifier: name) else {
            return TimeZone(identifier: "UTC")!
        }
        return zone
    }
}
