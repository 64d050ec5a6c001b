import Foundation
import Remo
import XCTest

final class TimePhraseParserTests: XCTestCase {
    private let parser = TimePhraseParser()

    /// Thirty phrases, each against the instant it must name; "now" is Wednesday
    /// 18 November 2026 at 11:00 in Asia/Kolkata (UTC+05:30, no DST).
    func testThirtyPhrasesInKolkata() {
        let now = TestClock.wednesdayMorningKolkata
        let cases: [(String, String)] = [
            ("tomorrow at 10am", "2026-11-19T10:00:00+05:30"),
            ("tomorrow at 10", "2026-11-19T10:00:00+05:30"),
            ("today at 5pm", "2026-11-18T17:00:00+05:30"),
            ("tonight", "2026-11-18T20:00:00+05:30"),
            ("this evening", "2026-11-18T18:00:00+05:30"),
            ("tomorrow morning", "2026-11-19T09:00:00+05:30"),
            ("in 2 hours", "2026-11-18T13:00:00+05:30"),
            ("in 30 minutes", "2026-11-18T11:30:00+05:30"),
            ("in 3 days", "2026-11-21T11:00:00+05:30"),
            ("next Monday at 9", "2026-11-23T09:00:00+05:30"),
            ("on Monday", "2026-11-23T09:00:00+05:30"),
            ("on 3 March at 14:30", "2027-03-03T14:30:00+05:30"),
            ("March 3rd at 2:30pm", "2027-03-03T14:30:00+05:30"),
            ("at noon", "2026-11-18T12:00:00+05:30"),
            ("at midnight", "2026-11-19T00:00:00+05:30"),
            ("at 7:45", "2026-11-18T19:45:00+05:30"),
            ("in an hour", "2026-11-18T12:00:00+05:30"),
            ("end of day", "2026-11-18T17:00:00+05:30"),
            ("at 9am", "2026-11-19T09:00:00+05:30"),
            ("tomorrow at 3", "2026-11-19T15:00:00+05:30"),
            ("tonight at 9", "2026-11-18T21:00:00+05:30"),
            ("10am tomorrow", "2026-11-19T10:00:00+05:30"),
            ("the day after tomorrow at 8:15 a.m.", "2026-11-20T08:15:00+05:30"),
            ("25/12 at 18:00", "2026-12-25T18:00:00+05:30"),
            ("in half an hour", "2026-11-18T11:30:00+05:30"),
            ("in an hour and a half", "2026-11-18T12:30:00+05:30"),
            ("this Friday at 5pm", "2026-11-20T17:00:00+05:30"),
            ("Friday at 5 in the afternoon", "2026-11-20T17:00:00+05:30"),
            ("2027-01-15 at 08:00", "2027-01-15T08:00:00+05:30"),
            ("in 2 weeks at 10am", "2026-12-02T10:00:00+05:30"),
            ("on the 15th", "2026-12-15T09:00:00+05:30"),
            ("tomorrow at midnight", "2026-11-20T00:00:00+05:30"),
            ("at 3pm on 1st December", "2026-12-01T15:00:00+05:30"),
            ("3 days from now", "2026-11-21T11:00:00+05:30"),
            ("Tomorrow, 6 PM.", "2026-11-19T18:00:00+05:30"),
        ]
        XCTAssertGreaterThanOrEqual(cases.count, 30)
        for (phrase, expected) in cases {
            XCTAssertEqual(parser.resolve(phrase, now: now, timeZone: TestClock.kolkata), .resolved(TestClock.iso(expected)),
                           "“\(phrase)”")
        }
    }

    /// "the Nth" is the next such day: this month if it is still ahead, else
    /// next month (next year from December), skipping months without that day.
    func testDaysOfTheMonthRollOver() {
        let kolkata = TestClock.kolkata
        let cases: [(now: String, phrase: String, expected: String)] = [
            ("2026-12-20T11:00:00+05:30", "on the 5th", "2027-01-05T09:00:00+05:30"),
            ("2026-12-20T11:00:00+05:30", "on the 28th", "2026-12-28T09:00:00+05:30"),
            ("2026-11-18T11:00:00+05:30", "on the 31st", "2026-12-31T09:00:00+05:30"),
            ("2027-01-31T11:00:00+05:30", "on the 30th", "2027-03-30T09:00:00+05:30"),
            ("2027-04-05T11:00:00+05:30", "on the 31st", "2027-05-31T09:00:00+05:30"),
        ]
        for (now, phrase, expected) in cases {
            XCTAssertEqual(parser.resolve(phrase, now: TestClock.iso(now), timeZone: kolkata),
                           .resolved(TestClock.iso(expected)), "“\(phrase)” on \(now)")
        }
    }

    /// Around the end of daylight saving time in New York (Sunday 1 November 2026,
    /// 02:00 EDT becomes 01:00 EST): day offsets keep the clock time, hour offsets
    /// are elapsed time, a time that happens twice is the first.
    func testFallBackInNewYork() {
        let now = TestClock.iso("2026-10-31T18:00:00-04:00")
        let cases: [(String, String)] = [
            ("in 3 days", "2026-11-03T18:00:00-05:00"),
            ("in 24 hours", "2026-11-01T17:00:00-05:00"),
            ("tomorrow at 9am", "2026-11-01T09:00:00-05:00"),
            ("tomorrow at 1:30am", "2026-11-01T01:30:00-04:00"),
            ("next Monday at 9", "2026-11-02T09:00:00-05:00"),
        ]
        for (phrase, expected) in cases {
            XCTAssertEqual(parser.resolve(phrase, now: now, timeZone: TestClock.newYork), .resolved(TestClock.iso(expected)),
                           "“\(phrase)”")
        }
    }

    /// Around the start of daylight saving time in New York (Sunday 8 March 2026,
    /// 02:00 EST becomes 03:00 EDT): a time inside the gap moves forward by the gap.
    func testSpringForwardInNewYork() {
        let now = TestClock.iso("2026-03-07T12:00:00-05:00")
        let cases: [(String, String)] = [
            ("tomorrow at 2:30am", "2026-03-08T03:30:00-04:00"),
            ("tomorrow at noon", "2026-03-08T12:00:00-04:00"),
            ("in 3 days", "2026-03-10T12:00:00-04:00"),
            ("in 2 days at 8pm", "2026-03-09T20:00:00-04:00"),
        ]
        for (phrase, expected) in cases {
            XCTAssertEqual(parser.resolve(phrase, now: now, timeZone: TestClock.newYork), .resolved(TestClock.iso(expected)),
                           "“\(phrase)”")
        }
    }

    /// Ambiguous or malformed phrases get a question, never a guess.
    func testQuestionsInsteadOfGuesses() {
        let now = TestClock.wednesdayMorningKolkata
        let ambiguous = [
            "3/4", "next week", "sometime", "later", "next Friday", "today at 9am", "this weekend",
            "in a few hours", "in 5", "in a bit", "today",
        ]
        for phrase in ambiguous {
            let result = parser.resolve(phrase, now: now, timeZone: TestClock.kolkata)
            guard case .ambiguous(let question) = result else {
                XCTFail("“\(phrase)” gave \(result), expected a question")
                continue
            }
            XCTAssertTrue(question.contains("?"), "“\(phrase)”: \(question)")
        }
        let malformed = ["at 25:00", "on 31 February", "next blursday", "13pm", "every Monday at 9", "blah blah",
                         "on 29 February 2027", "at 10:75"]
        for phrase in malformed {
            let result = parser.resolve(phrase, now: now, timeZone: TestClock.kolkata)
            guard case .unparseable(let question) = result else {
                XCTFail("“\(phrase)” gave \(result), expected a question")
                continue
            }
            XCTAssertTrue(question.contains("?"), "“\(phrase)”: \(question)")
        }
    }

    func testQuestionsSayWhatIsUnclear() {
        let now = TestClock.wednesdayMorningKolkata
        XCTAssertEqual(parser.resolve("3/4", now: now, timeZone: TestClock.kolkata).question,
                       "Do you mean 3 April or 4 March?")
        XCTAssertEqual(parser.resolve("next Friday", now: now, timeZone: TestClock.kolkata).question,
                       "Do you mean Friday 20 November or Friday 27 November?")
        XCTAssertEqual(parser.resolve("today at 9am", now: now, timeZone: TestClock.kolkata).question,
                       "09:00 today has already passed. Did you mean tomorrow at 09:00?")
        XCTAssertEqual(parser.resolve("on 31 February", now: now, timeZone: TestClock.kolkata).question,
                       "February doesn't have a 31st. Which date do you mean?")
    }

    func testExtractionSplitsTitleFromTime() {
        let now = TestClock.wednesdayMorningKolkata
        let suffix = parser.extract(from: "call Sam tomorrow at 10am", now: now, timeZone: TestClock.kolkata)
        XCTAssertEqual(suffix?.before, "call Sam")
        XCTAssertEqual(suffix?.after, "")
        XCTAssertEqual(suffix?.resolution, .resolved(TestClock.iso("2026-11-19T10:00:00+05:30")))

        let prefix = parser.extract(from: "tomorrow at 10am to call Sam", now: now, timeZone: TestClock.kolkata)
        XCTAssertEqual(prefix?.phrase, "tomorrow at 10am")
        XCTAssertEqual(prefix?.after, "to call Sam")

        let titleWithTimeWords = parser.extract(from: "read the next chapter at 9pm", now: now, timeZone: TestClock.kolkata)
        XCTAssertEqual(titleWithTimeWords?.before, "read the next chapter")

        let vague = parser.extract(from: "call Sam next week at 9", now: now, timeZone: TestClock.kolkata)
        XCTAssertEqual(vague?.resolution, .ambiguous(question: "Which day next week, and at what time?"))

        XCTAssertNil(parser.extract(from: "buy milk", now: now, timeZone: TestClock.kolkata))
    }
}
