import Foundation

/// What a time phrase means: one instant, or a question to put to the user.
public enum TimeResolution: Equatable, Sendable {
    /// The phrase names this instant, in the future.
    case resolved(Date)
    /// The phrase was understood but allows more than one reading, or lacks a
    /// part (which day of "next week"?), or names a time already past.
    case ambiguous(question: String)
    /// The phrase is not a time this parser can read, or names one that does not
    /// exist ("25:00", "31 February").
    case unparseable(question: String)

    /// The instant, when resolved.
    public var date: Date? {
        if case .resolved(let date) = self { return date }
        return nil
    }

    /// The clarifying question, when not resolved.
    public var question: String? {
        switch self {
        case .resolved: nil
        case .ambiguous(let question), .unparseable(let question): question
        }
    }
}

/// The clock times words stand for, where a phrase gives no exact time.
public enum TimeDefaults {
    /// "morning", "tomorrow morning": 09:00.
    public static let morning = 9
    /// "afternoon": 15:00.
    public static let afternoon = 15
    /// "evening", "this evening": 18:00.
    public static let evening = 18
    /// "tonight", "night": 20:00.
    public static let night = 20
    /// "end of day", "eod": 17:00, close of business.
    public static let endOfDay = 17
    /// A day with no time at all ("on Monday", "tomorrow"): 09:00.
    public static let dayOnly = 9
}
