import Foundation

/// Dates and times as replies say them, in English and 24-hour time, whatever
/// the server's locale: "Monday 23 November 2026 at 10:00".
public enum SpokenDate {
    /// "Monday 23 November 2026 at 10:00" in `timeZone`.
    public static func dateTime(_ date: Date, in timeZone: TimeZone) -> String {
        let calendar = calendar(in: timeZone)
        return "\(day(date, calendar: calendar)) \(calendar.component(.year, from: date)) at \(time(date, calendar: calendar))"
    }

    /// "Monday 23 November" in `calendar`'s zone.
    static func day(_ date: Date, calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.weekday, .day, .month], from: date)
        return "\(TimeVocabulary.weekdayNames[parts.weekday! - 1]) \(parts.day!) \(TimeVocabulary.monthNames[parts.month! - 1])"
    }

    /// "09:05" in `calendar`'s zone.
    static func time(_ date: Date, calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour!, parts.minute!)
    }

    static func calendar(in timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}
