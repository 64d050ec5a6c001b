import Foundation

/// ISO 8601 timestamps in UTC, formatted and parsed by hand: no formatter objects
/// (not Sendable, locale-sensitive) and the same output on every platform.
///
/// Written as `2026-11-23T04:30:00Z`, or with a fixed number of fraction digits
/// so that strings sort in time order. Read leniently: a fraction of any length,
/// `Z`, `±HH:MM`, or no zone at all (the original Python system wrote naive
/// `datetime.isoformat()` values; those are taken as UTC).
public enum UTCTimestamp {
    /// `date` as `YYYY-MM-DDTHH:MM:SS[.fff…]Z` with `fractionDigits` (0…6) digits after the second.
    public static func string(from date: Date, fractionDigits: Int = 0) -> String {
        let digits = min(max(fractionDigits, 0), 6)
        let scale = Int64(pow(10, Double(digits)))
        // Floor, not round: a timestamp must never claim a later instant than it had.
        let scaled = Int64((date.timeIntervalSince1970 * Double(scale)).rounded(.down))
        return string(scaled: scaled, fractionDigits: digits)
    }

    /// `scaled` units of 10^-`fractionDigits` seconds since the epoch, formatted.
    static func string(scaled: Int64, fractionDigits digits: Int) -> String {
        let scale = Int64(pow(10, Double(digits)))
        var seconds = scaled / scale
        var fraction = scaled % scale
        if fraction < 0 {
            fraction += scale
            seconds -= 1
        }
        let civil = CivilTime(epochSeconds: seconds)
        var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", civil.year, civil.month, civil.day,
                          civil.hour, civil.minute, civil.second)
        if digits > 0 {
            text += "." + String(format: "%0\(digits)lld", fraction)
        }
        return text + "Z"
    }

    /// The instant an ISO 8601 date-time names, or nil when it is not one.
    public static func date(from text: String) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ width: Int) -> Int? {
            guard index + width <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + width] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += width
            return value
        }
        func expect(_ character: Character) -> Bool {
            guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              index < bytes.count, bytes[index] == UInt8(ascii: "T") || bytes[index] == UInt8(ascii: " ")
        else { return nil }
        index += 1
        guard let hour = number(2), expect(":"), let minute = number(2), expect(":"), let second = number(2)
        else { return nil }
        var fraction = 0.0
        if expect(".") {
            var scale = 0.1
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offset = 0
        if index < bytes.count {
            if expect("Z") || expect("z") {
            } else if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                index += 1
                guard let hours = number(2), expect(":"), let minutes = number(2), hours < 24, minutes < 60
                else { return nil }
                offset = sign * (hours * 3600 + minutes * 60)
            } else {
                return nil
            }
        }
        guard index == bytes.count else { return nil }
        guard (1...12).contains(month), day >= 1, day <= CivilTime.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60
        else { return nil }
        let days = CivilTime.daysFromEpoch(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}

/// Proleptic Gregorian calendar arithmetic in UTC (Howard Hinnant's
/// days-from-civil algorithms), exact for any year a timestamp will hold.
struct CivilTime {
    let year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int

    init(epochSeconds: Int64) {
        var days = epochSeconds / 86_400
        var rest = epochSeconds % 86_400
        if rest < 0 {
            rest += 86_400
            days -= 1
        }
        hour = Int(rest / 3600)
        minute = Int(rest % 3600 / 60)
        second = Int(rest % 60)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
    }

    static func daysFromEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
