import Foundation
import Remo
import XCTest

final class UnderstandingTests: XCTestCase {
    private let understanding = RuleBasedUnderstanding()
    private let now = TestClock.wednesdayMorningKolkata

    private func intent(_ message: String, recent: [ListedItem] = [], pending: PendingRequest? = nil) -> ChatIntent {
        understanding.understand(message, context: ChatContext(now: now, timeZone: TestClock.kolkata,
                                                               recentItems: recent, pending: pending))
    }

    private func at(_ iso: String) -> Date { TestClock.iso(iso) }

    func testSetReminder() {
        XCTAssertEqual(intent("remind me tomorrow at 10am to call Sam"),
                       .setReminder(title: "call Sam", at: at("2026-11-19T10:00:00+05:30"), description: nil))
        XCTAssertEqual(intent("Remind me to call Sam tomorrow at 10am."),
                       .setReminder(title: "call Sam", at: at("2026-11-19T10:00:00+05:30"), description: nil))
        XCTAssertEqual(intent("Please set a reminder for next Monday at 9 to submit the timesheet"),
                       .setReminder(title: "submit the timesheet", at: at("2026-11-23T09:00:00+05:30"), description: nil))
        XCTAssertEqual(intent("remind me in 2 hours to stretch"),
                       .setReminder(title: "stretch", at: at("2026-11-18T13:00:00+05:30"), description: nil))
        XCTAssertEqual(intent("remind me to pay rent on 3 March at 14:30, note: use the new account"),
                       .setReminder(title: "pay rent", at: at("2027-03-03T14:30:00+05:30"), description: "use the new account"))
        XCTAssertEqual(intent("remind me to call Sam tomorrow at 10am about the contract"),
                       .setReminder(title: "call Sam about the contract", at: at("2026-11-19T10:00:00+05:30"), description: nil))
        XCTAssertEqual(intent("set a reminder for 5pm: gym"),
                       .setReminder(title: "gym", at: at("2026-11-18T17:00:00+05:30"), description: nil))
        XCTAssertEqual(intent("remind me to send the daily report at 5pm"),
                       .setReminder(title: "send the daily report", at: at("2026-11-18T17:00:00+05:30"), description: nil))
        XCTAssertEqual(intent("remind me tonight to take my pills"),
                       .setReminder(title: "take my pills", at: at("2026-11-18T20:00:00+05:30"), description: nil))
    }

    func testReminderQuestions() {
        XCTAssertEqual(intent("remind me to call Sam"),
                       .clarify(question: "When should I remind you to call Sam?", pending: .reminderTime(title: "call Sam")))
        XCTAssertEqual(intent("remind me to call Sam next week"),
                       .clarify(question: "Which day next week, and at what time?", pending: .reminderTime(title: "call Sam")))
        XCTAssertEqual(intent("remind me on 3/4 to water the plants"),
                       .clarify(question: "Do you mean 3 April or 4 March?", pending: .reminderTime(title: "water the plants")))
        XCTAssertEqual(intent("remind me every Monday to run"),
                       .clarify(question: "I can only set one-off reminders for now. When should this one be?",
                                pending: .reminderTime(title: "run")))
        guard case .clarify(_, let pending) = intent("remind me at 25:00 to sleep") else { return XCTFail("expected a question") }
        XCTAssertEqual(pending, .reminderTime(title: "sleep"))
        guard case .clarify(_, .reminderTitle(let date)) = intent("remind me tomorrow at 8am") else {
            return XCTFail("expected a question about the title")
        }
        XCTAssertEqual(date, at("2026-11-19T08:00:00+05:30"))
    }

    func testAnswersToPendingQuestions() {
        XCTAssertEqual(intent("tomorrow at 10am", pending: .reminderTime(title: "call Sam")),
                       .setReminder(title: "call Sam", at: at("2026-11-19T10:00:00+05:30"), description: nil))
        XCTAssertEqual(intent("next week", pending: .reminderTime(title: "call Sam")),
                       .clarify(question: "Which day next week, and at what time?", pending: .reminderTime(title: "call Sam")))
        XCTAssertEqual(intent("what are my todos?", pending: .reminderTime(title: "call Sam")),
                       .listTodos(status: .pending, priority: nil))
        let eight = at("2026-11-19T08:00:00+05:30")
        XCTAssertEqual(intent("feed the cat", pending: .reminderTitle(at: eight)),
                       .setReminder(title: "feed the cat", at: eight, description: nil))
    }

    func testListReminders() {
        XCTAssertEqual(intent("what are my reminders?"), .listReminders(.pending))
        XCTAssertEqual(intent("show my reminders"), .listReminders(.pending))
        XCTAssertEqual(intent("list all my reminders"), .listReminders(.all))
        XCTAssertEqual(intent("reminders"), .listReminders(.pending))
    }

    func testCompleteAndCancelReminder() {
        XCTAssertEqual(intent("cancel the reminder to call Sam"), .cancelReminder(.titleMatching("call Sam")))
        XCTAssertEqual(intent("delete my reminder about the dentist"), .cancelReminder(.titleMatching("the dentist")))
        XCTAssertEqual(intent("mark the reminder to call Sam as done"), .completeReminder(.titleMatching("call Sam")))
        let listed = [ListedItem(kind: .reminder, id: "rem_1", title: "call Sam"),
                      ListedItem(kind: .reminder, id: "rem_2", title: "pay rent")]
        XCTAssertEqual(intent("cancel the second reminder", recent: listed), .cancelReminder(.item(id: "rem_2", title: "pay rent")))
        XCTAssertEqual(intent("mark pay rent as done", recent: listed), .completeReminder(.titleMatching("pay rent")))
    }

    func testAddTodo() {
        XCTAssertEqual(intent("add a high-priority todo: finish the report, description: Q3 numbers"),
                       .addTodo(title: "finish the report", priority: .high, description: "Q3 numbers"))
        XCTAssertEqual(intent("urgent todo buy milk"), .addTodo(title: "buy milk", priority: .urgent, description: nil))
        XCTAssertEqual(intent("add buy milk to my todo list"), .addTodo(title: "buy milk", priority: .medium, description: nil))
        XCTAssertEqual(intent("add a todo to book flights with low priority"),
                       .addTodo(title: "book flights", priority: .low, description: nil))
        XCTAssertEqual(intent("todo: reply to the urgent email"),
                       .addTodo(title: "reply to the urgent email", priority: .medium, description: nil))
        XCTAssertEqual(intent("Add a to-do: renew passport (priority: high)"),
                       .addTodo(title: "renew passport", priority: .high, description: nil))
        XCTAssertEqual(intent("add a todo"), .clarify(question: "What should the todo say?", pending: nil))
    }

    func testListTodos() {
        XCTAssertEqual(intent("what are my todos?"), .listTodos(status: .pending, priority: nil))
        XCTAssertEqual(intent("show high priority todos"), .listTodos(status: .pending, priority: .high))
        XCTAssertEqual(intent("show my completed tasks"), .listTodos(status: .done, priority: nil))
        XCTAssertEqual(intent("list all my todos"), .listTodos(status: nil, priority: nil))
        XCTAssertEqual(intent("what's on my to-do list"), .listTodos(status: .pending, priority: nil))
        XCTAssertEqual(intent("show urgent todos"), .listTodos(status: .pending, priority: .urgent))
    }

    func testCompleteAndDeleteTodo() {
        XCTAssertEqual(intent("mark buy milk as done"), .completeTodo(.titleMatching("buy milk")))
        XCTAssertEqual(intent("I finished the report"), .completeTodo(.titleMatching("report")))
        XCTAssertEqual(intent("delete the todo about milk"), .deleteTodo(.titleMatching("milk")))
        XCTAssertEqual(intent("remove buy milk from my todo list"), .deleteTodo(.titleMatching("buy milk")))
        let listed = [ListedItem(kind: .todo, id: "todo_1", title: "finish the report"),
                      ListedItem(kind: .todo, id: "todo_2", title: "buy milk")]
        XCTAssertEqual(intent("mark the first one as done", recent: listed), .completeTodo(.item(id: "todo_1", title: "finish the report")))
        XCTAssertEqual(intent("delete number 2", recent: listed), .deleteTodo(.item(id: "todo_2", title: "buy milk")))
        guard case .clarify = intent("delete the fifth one", recent: listed) else { return XCTFail("expected a question") }
    }

    func testProfile() {
        XCTAssertEqual(intent("what's my profile?"), .showProfile)
        XCTAssertEqual(intent("what do you know about me"), .showProfile)
        XCTAssertEqual(intent("what's my email?"), .showProfile)
        XCTAssertEqual(intent("my email is X@Example.COM"), .updateProfile([try! ProfileUpdate(field: .email, rawValue: "X@example.com")]))
        XCTAssertEqual(intent("set my timezone to asia/kolkata"),
                       .updateProfile([try! ProfileUpdate(field: .timezone, rawValue: "Asia/Kolkata")]))
        XCTAssertEqual(intent("change my language to Hindi"), .updateProfile([try! ProfileUpdate(field: .language, rawValue: "hi")]))
        XCTAssertEqual(intent("my phone number is +1 415 555 0123"),
                       .updateProfile([try! ProfileUpdate(field: .phoneNumber, rawValue: "+14155550123")]))
        XCTAssertEqual(intent("my wallet is 0xAbCdEf0123456789abcdef0123456789ABCDEF01"),
                       .updateProfile([try! ProfileUpdate(field: .wallet, rawValue: "0xabcdef0123456789abcdef0123456789abcdef01")]))
        XCTAssertEqual(intent("my name is Ada Lovelace"),
                       .updateProfile([try! ProfileUpdate(field: .firstName, rawValue: "Ada"),
                                       try! ProfileUpdate(field: .lastName, rawValue: "Lovelace")]))
        XCTAssertEqual(intent("my last name is Hopper"), .updateProfile([try! ProfileUpdate(field: .lastName, rawValue: "Hopper")]))
        XCTAssertEqual(intent("call me Sam"), .updateProfile([try! ProfileUpdate(field: .firstName, rawValue: "Sam")]))
        guard case .clarify(let question, _) = intent("my email is not-an-email") else { return XCTFail("expected a question") }
        XCTAssertTrue(question.hasSuffix("What's your email?"), question)
        guard case .clarify = intent("set my timezone to Mars/Olympus") else { return XCTFail("expected a question") }
    }

    func testSmallTalkAndFallback() {
        XCTAssertEqual(intent("hello!"), .smallTalk(.greeting))
        XCTAssertEqual(intent("thanks"), .smallTalk(.thanks))
        XCTAssertEqual(intent("what can you do?"), .smallTalk(.help))
        guard case .clarify(_, nil) = intent("the weather is lovely") else { return XCTFail("expected a question") }
        guard case .clarify = intent("   ") else { return XCTFail("expected a question") }
    }
}
