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
        let lowered = trimmed.lowercased()
        guard trimmed.contains("/"),
              let known = TimeZone.knownTimeZoneIdentifiers.first(where: { $0.lowercased() == lowered }),
              TimeZone(identifier: known) != nil
        else {
            throw ValidationError(
                field: "timezone", reason: "\(trimmed) is not an IANA time zone name (like Asia/Kolkata or America/New_York)")
        }
        return known
    }

    /// The zone for a stored name, UTC when the name is missing or unknown.
    public static func zone(named name: String?) -> TimeZone {
        guard let name, name != "UTC", let zone = TimeZone(identifier: name) else {
            return TimeZone(identifier: "UTC")!
        }
        return zone
    }
}
