import Foundation

/// Fixed instants and zones the tests share.
enum TestClock {
    static let kolkata = TimeZone(identifier: "Asia/Kolkata")!
    static let newYork = TimeZone(identifier: "America/New_York")!
    static let utc = TimeZone(identifier: "UTC")!

    /// Wednesday 18 November 2026, 11:00 in Kolkata.
    static let wednesdayMorningKolkata = date(2026, 11, 18, 11, 0, in: kolkata)

    /// The instant a wall-clock reading names in `zone`.
    static func date(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int = 0,
                     in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
    }

    /// The instant of an ISO 8601 string with offset, spelled out in tests so the
    /// expected values do not depend on the calendar code under test.
    static func iso(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)!
    }
}
