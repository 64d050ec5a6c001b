import Foundation

/// A point in time as the tables store it: an ISO 8601 string in UTC with
/// milliseconds, e.g. `2025-05-13T09:41:07.250Z`.
///
/// The string form is fixed-width on purpose: `started_at` is a sort key
/// (`RecipientIndex`, `StatusIndex`) and part of `agent_recipient_key`, and
/// DynamoDB sorts strings byte by byte, so every timestamp we write must have
/// the same shape for "newest first" to mean what it says.
/// Decoding is lenient: it also accepts what the Python system wrote
/// (`datetime.isoformat()`, with or without fraction or offset; no offset means UTC).
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z. Kept as an integer so that a value
    /// survives a round trip through its string form exactly.
    public let millisecondsSince1970: Int64

    /// The instant.
    public var date: Date { Date(timeIntervalSince1970: Double(millisecondsSince1970) / 1000) }

    /// Wraps an instant; precision beyond milliseconds is dropped.
    public init(_ date: Date) {
        millisecondsSince1970 = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// Wraps a count of milliseconds since the epoch.
    public init(millisecondsSince1970: Int64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    /// Parses an ISO 8601 string; nil when it is not one.
    public init?(iso8601 text: String) {
        guard let millis = Timestamp.parse(text) else { return nil }
        self.init(millisecondsSince1970: millis)
    }

    /// Whole seconds from `self` to `later` (never negative).
    public func seconds(until later: Timestamp) -> Int {
        max(0, Int((later.millisecondsSince1970 - millisecondsSince1970 + 500) / 1000))
    }

    /// The fixed-width UTC form, `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    public var description: String {
        let totalMillis = millisecondsSince1970
        let millis = Int(((totalMillis % 1000) + 1000) % 1000)
        let totalSeconds = (totalMillis - Int64(millis)) / 1000
        let secondsOfDay = Int(((totalSeconds % 86_400) + 86_400) % 86_400)
        let days = (totalSeconds - Int64(secondsOfDay)) / 86_400
        let (year, month, day) = Timestamp.civil(fromDays: days)
        return Timestamp.pad(Int(year), 4) + "-" + Timestamp.pad(month, 2) + "-" + Timestamp.pad(day, 2)
            + "T" + Timestamp.pad(secondsOfDay / 3600, 2) + ":" + Timestamp.pad(secondsOfDay / 60 % 60, 2)
            + ":" + Timestamp.pad(secondsOfDay % 60, 2) + "." + Timestamp.pad(millis, 3) + "Z"
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSince1970 < rhs.millisecondsSince1970
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // The string form first: it is what we write, and a failed decode
        // (building its error) costs more than the parse, on every message of every turn.
        guard let text = try? container.decode(String.self) else {
            // Tolerate epoch seconds, which some hand-written items use.
            self.init(Date(timeIntervalSince1970: try container.decode(Double.self)))
            return
        }
        guard let millis = Timestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 timestamp: \(text)")
        }
        self.init(millisecondsSince1970: millis)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    // MARK: - Calendar arithmetic

    // Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
    // Done by hand because it runs on every turn and Calendar is comparatively slow.
    private static func civil(fromDays days: Int64) -> (Int64, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func days(fromCivil year: Int64, _ month: Int, _ day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private static func parse(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ width: Int) -> Int? {
            guard index + width <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + width] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += width
            return value
        }
        func expect(_ character: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(0x2D), let month = number(2), expect(0x2D), let day = number(2),
              (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var millis: Int64 = 0
        if index < bytes.count, bytes[index] == 0x54 || bytes[index] == 0x20 {  // 'T' or ' '
            index += 1
            guard let hour = number(2), expect(0x3A), let minute = number(2), hour < 24, minute < 60 else { return nil }
            millis = Int64(hour * 3600 + minute * 60) * 1000
            if expect(0x3A) {
                guard let second = number(2), second < 61 else { return nil }
                millis += Int64(second) * 1000
                if expect(0x2E) || expect(0x2C) {
                    // Digits past the third (Python writes microseconds) are truncated.
                    var scale: Int64 = 100
                    var sawDigit = false
                    while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                        millis += Int64(bytes[index] - 0x30) * scale
                        scale /= 10
                        index += 1
                        sawDigit = true
                    }
                    guard sawDigit else { return nil }
                }
            }
            if expect(0x5A) || expect(0x7A) {  // 'Z' or 'z'
            } else if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D {
                let sign: Int64 = bytes[index] == 0x2B ? 1 : -1
                index += 1
                guard let offsetHours = number(2) else { return nil }
                _ = expect(0x3A)
                let offsetMinutes = number(2) ?? 0
                millis -= sign * Int64(offsetHours * 3600 + offsetMinutes * 60) * 1000
            }
        }
        guard index == bytes.count else { return nil }
        let days = days(fromCivil: Int64(year), month, day)
        return days * 86_400_000 + millis
    }
}
