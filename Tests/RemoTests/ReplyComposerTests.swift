import Foundation
import Remo
import XCTest

final class ReplyComposerTests: XCTestCase {
    private let composer = ReplyComposer()
    private let now = TestClock.wednesdayMorningKolkata

    func testReminderReplyNamesTitleAndAbsoluteTime() throws {
        let reminder = try Reminder.new(userId: "did:privy:a", title: "call Sam",
                                        remindingTime: TestClock.iso("2026-11-23T10:00:00+05:30"),
                                        timeZone: TestClock.kolkata, now: now)
        XCTAssertEqual(composer.reply(for: .reminderSet(reminder), timeZone: TestClock.kolkata),
                       "I'll remind you to call Sam on Monday 23 November 2026 at 10:00 (Asia/Kolkata).")
        XCTAssertEqual(composer.reply(for: .reminderSet(reminder), timeZone: TestClock.utc),
                       "I'll remind you to call Sam on Monday 23 November 2026 at 04:30 (UTC).")
    }

    func testListingsAreNumberedInTheOrderOfListedItems() throws {
        let later = try Reminder.new(userId: "u", title: "pay rent", remindingTime: TestClock.iso("2026-12-01T09:00:00+05:30"),
                                     timeZone: TestClock.kolkata, now: now)
        let sooner = try Reminder.new(userId: "u", title: "call Sam", remindingTime: TestClock.iso("2026-11-19T10:00:00+05:30"),
                                      timeZone: TestClock.kolkata, now: now)
        let outcome = ChatOutcome.remindersListed([later, sooner], .pending)
        XCTAssertEqual(composer.reply(for: outcome, timeZone: TestClock.kolkata), """
            You have 2 upcoming reminders (times in Asia/Kolkata):
            1. call Sam — Thursday 19 November 2026 at 10:00
            2. pay rent — Tuesday 1 December 2026 at 09:00
            """)
        XCTAssertEqual(outcome.listedItems.map(\.title), ["call Sam", "pay rent"])

        let milk = try Todo.new(userId: "u", title: "buy milk", priority: .urgent, now: now)
        let report = try Todo.new(userId: "u", title: "finish the report", description: "Q3 numbers", priority: .high, now: now)
        let todos = ChatOutcome.todosListed([report, milk], status: .pending, priority: nil)
        XCTAssertEqual(composer.reply(for: todos, timeZone: TestClock.kolkata), """
            You have 2 pending todos:
            1. buy milk [urgent]
            2. finish the report [high] — Q3 numbers
            """)
        XCTAssertEqual(todos.listedItems, [ListedItem(kind: .todo, id: milk.todoId, title: "buy milk"),
                                           ListedItem(kind: .todo, id: report.todoId, title: "finish the report")])
        XCTAssertEqual(composer.reply(for: .todosListed([], status: .pending, priority: .high), timeZone: TestClock.utc),
                       "You have no pending high-priority todos.")
    }

    func testChangeReplies() throws {
        let todo = try Todo.new(userId: "u", title: "finish the report", description: "Q3 numbers", priority: .high, now: now)
        XCTAssertEqual(composer.reply(for: .todoAdded(todo), timeZone: TestClock.utc),
                       "Added a high-priority todo: “finish the report” (Q3 numbers).")
        XCTAssertEqual(composer.reply(for: .todoCompleted(todo), timeZone: TestClock.utc), "Marked “finish the report” as done.")
        XCTAssertEqual(composer.reply(for: .todoDeleted(todo), timeZone: TestClock.utc), "Deleted the todo “finish the report”.")
        let profile = UserProfile(privyId: "u", createdAt: now, updatedAt: now)
        let update = try ProfileUpdate(field: .timezone, rawValue: "Asia/Kolkata")
        XCTAssertEqual(composer.reply(for: .profileUpdated(profile.applying(update, now: now), [update]), timeZone: TestClock.kolkata),
                       "Updated your time zone to Asia/Kolkata. I'll read and show times in Asia/Kolkata from now on.")
        XCTAssertEqual(composer.reply(for: .severalMatches(.todo, query: "milk", titles: ["buy milk", "return milk crate"]),
                                      timeZone: TestClock.utc),
                       "More than one todo matches “milk”: “buy milk” or “return milk crate”. Which one do you mean?")
    }

    func testTitleMatcher() {
        let titles = ["buy milk", "Finish the report", "return milk crate", "call Sam"]
        guard case .one("call Sam") = TitleMatcher.match("call sam", in: titles, title: { $0 }) else { return XCTFail() }
        guard case .one("Finish the report") = TitleMatcher.match("report", in: titles, title: { $0 }) else { return XCTFail() }
        guard case .several(let both) = TitleMatcher.match("milk", in: titles, title: { $0 }) else { return XCTFail() }
        XCTAssertEqual(both, ["buy milk", "return milk crate"])
        guard case .one("return milk crate") = TitleMatcher.match("crates milk", in: titles, title: { $0 }) else { return XCTFail() }
        guard case .none = TitleMatcher.match("dentist", in: titles, title: { $0 }) else { return XCTFail() }
    }
}
