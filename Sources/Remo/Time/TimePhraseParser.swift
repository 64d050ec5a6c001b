import Foundation

/// Reads natural time phrases ("tomorrow at 10am", "in 2 hours", "next Monday
/// at 9", "on 3 March at 14:30") as instants in the user's time zone, and asks
/// instead of guessing when a phrase is ambiguous or malformed.
///
/// The rules, where a phrase leaves room:
/// - **Bare hours.** "10am", "14:30", "09:00" are exact. A bare 1–12 with a day
///   ("tomorrow at 10", "next Monday at 9") is daytime: 7–11 morning, 12 noon,
///   1–6 afternoon ("tomorrow at 3" is 15:00). With a part of the day it follows
///   the part ("tonight at 9" is 21:00). With no day at all ("at 7:45") it is the
///   next time the clock shows it, morning or evening.
/// - **Past times.** A time with no day that has passed today is tomorrow's
///   ("at 9am" said at 11:00 is tomorrow 09:00). A time on an explicit today
///   ("today at 9am", "this morning", "tonight", "end of day") that has passed
///   gets a question.
/// - **Words for times.** morning 09:00, afternoon 15:00, evening 18:00, tonight
///   and night 20:00, end of day 17:00, noon 12:00; a day with no time
///   ("on Monday", "tomorrow") 09:00; "midnight" is the midnight that *ends* the
///   day named ("tomorrow at midnight" is 00:00 the day after tomorrow; "at
///   midnight" alone, the coming one). See `TimeDefaults`.
/// - **Weekdays.** "Monday", "on Monday", "this coming Monday": the first Monday
///   after today (never today). "this Monday": today if it is Monday. "next
///   Friday": the first Friday after today when that is also the Friday of next
///   week (Monday-based weeks); when the two differ ("next Friday" said on a
///   Wednesday), a question naming both dates. "next Monday" never needs one.
/// - **Dates.** "3 March", "March 3rd", "the 3rd of March", "3 March 2027",
///   "2026-03-03": without a year, the next 3 March (today included). "25/12" and
///   "12/25" are clear; "3/4" is a question (3 April or 4 March?). "the 15th":
///   the next 15th.
/// - **Offsets.** "in 30 minutes", "in 2 hours", "in an hour and a half", "in
///   1.5 hours" are elapsed time; "in 3 days", "in 2 weeks" keep the wall-clock
///   time (DST-safe), and may take a time ("in 3 days at 5pm").
/// - **Questions.** "next week", "this weekend", "later", "soon", "sometime",
///   "in a bit", "a few hours" (ambiguous); "at 25:00", "on 31 February", "next
///   blursday", "every Monday" (one-off reminders only), anything unknown (unparseable).
public struct TimePhraseParser: Sendable {
    public init() {}

    /// The instant `phrase` names for someone in `timeZone` at `now`, or a question.
    /// The whole phrase must be a time phrase.
    public func resolve(_ phrase: String, now: Date, timeZone: TimeZone) -> TimeResolution {
        let tokens = TimeToken.tokenize(phrase)
        switch TimeGrammar.parse(tokens) {
        case .spec(let spec):
            return TimeResolver(now: now, timeZone: timeZone).resolve(spec)
        case .problem(let problem):
            return problem.resolution
        case .notATime:
            return .unparseable(question: Self.generalQuestion(for: phrase))
        }
    }

    /// Finds the time phrase inside a longer text ("call Sam tomorrow at 10am",
    /// "tomorrow at 10am to call Sam") and returns what it means plus the words
    /// before and after it, as written. Nil when the text holds no time phrase.
    ///
    /// A phrase at the end of the text is preferred, then one at the start, then
    /// one in the middle; within each, the longest. A phrase that resolves wins
    /// over one that needs a question, but not a shorter phrase inside the
    /// question's ("call Sam next week at 9" asks which day, it does not pick 09:00).
    public func extract(from text: String, now: Date, timeZone: TimeZone) -> TimeMention? {
        let tokens = TimeToken.tokenize(text)
        guard !tokens.isEmpty else { return nil }
        let n = tokens.count
        var candidates: [Range<Int>] = []
        candidates += (0..<n).map { $0..<n }
        candidates += (1..<n).reversed().map { 0..<$0 }
        for length in (1..<n).reversed() {
            for start in 1..<n where start + length < n {
                candidates.append(start..<(start + length))
            }
        }
        var firstProblem: (Range<Int>, TimeProblem)?
        for range in candidates {
            // A phrase ends on a word that says something: "tomorrow at" leaves "at" to the title.
            guard let last = tokens[range].last, !TimeVocabulary.fillers.contains(last.word) else { continue }
            switch TimeGrammar.parse(Array(tokens[range])) {
            case .spec(let spec):
                if let (problemRange, problem) = firstProblem, problemRange.contains(range.lowerBound),
                   range.upperBound <= problemRange.upperBound {
                    return mention(tokens, problemRange, problem.resolution)
                }
                return mention(tokens, range, TimeResolver(now: now, timeZone: timeZone).resolve(spec))
            case .problem(let problem):
                // "buy the weekend paper at 9" is not a question about the weekend.
                if firstProblem == nil, tokens[range].allSatisfy({ TimeVocabulary.isTimeWord($0.word) }) {
                    firstProblem = (range, problem)
                }
            case .notATime:
                continue
            }
        }
        return firstProblem.map { mention(tokens, $0.0, $0.1.resolution) }
    }

    private func mention(_ tokens: [TimeToken], _ range: Range<Int>, _ resolution: TimeResolution) -> TimeMention {
        func join(_ slice: ArraySlice<TimeToken>) -> String { slice.map(\.original).joined(separator: " ") }
        return TimeMention(
            resolution: resolution, phrase: join(tokens[range]),
            before: join(tokens[..<range.lowerBound]), after: join(tokens[range.upperBound...]))
    }

    static func generalQuestion(for phrase: String) -> String {
        let shown = phrase.trimmingCharacters(in: .whitespacesAndNewlines)
        return "I couldn't work out when “\(shown)” is. Could you say it like “tomorrow at 10am”, "
            + "“in 2 hours” or “on 3 March at 14:30”?"
    }
}

/// A time phrase found inside a longer text.
public struct TimeMention: Equatable, Sendable {
    /// What the phrase means.
    public let resolution: TimeResolution
    /// The phrase as written.
    public let phrase: String
    /// The words before the phrase, as written ("" when none).
    public let before: String
    /// The words after the phrase, as written ("" when none).
    public let after: String
}
