import Foundation
import LLM
import Remo
import TestSupport
import XCTest

final class LLMChatUnderstandingTests: XCTestCase {
    private let now = TestClock.wednesdayMorningKolkata
    private let rules = RuleBasedUnderstanding()

    private func context(recent: [ListedItem] = [], pending: PendingRequest? = nil) -> ChatContext {
        ChatContext(now: now, timeZone: TestClock.kolkata, recentItems: recent, pending: pending)
    }

    private func interpret(_ message: String, answer: String, context: ChatContext? = nil) -> (ChatInterpretation, ScriptedChatModel) {
        let model = ScriptedChatModel([.success(answer)])
        let result = LLMChatUnderstanding(client: model).interpret(message, context: context ?? self.context())
        return (result, model)
    }

    func testAReminderIsWhatTheRulesWouldCreateWithTheTimeResolvedByOurParser() {
        let message = "remind me tomorrow at 10am to call Sam"
        let (result, model) = interpret(message, answer: """
            {"tool": "set_reminder", "arguments": {"title": "call Sam", "when": "tomorrow at 10am"}}
            """)
        XCTAssertEqual(result.engine, "llm")
        XCTAssertEqual(result.intent, rules.understand(message, context: context()))
        let asked = model.requests[0]
        XCTAssertEqual(asked.messages.last, LLM.ChatMessage(.user, message))
        XCTAssertTrue(asked.messages[0].content.contains("set_reminder"))
    }

    func testAnAmbiguousTimeGetsOurQuestionAndKeepsTheTitle() {
        let (result, _) = interpret("remind me next week to renew the passport", answer: """
            {"tool": "set_reminder", "arguments": {"title": "renew the passport", "when": "next week"}}
            """)
        guard case .clarify(_, let pending) = result.intent else { return XCTFail("\(result.intent)") }
        XCTAssertEqual(pending, .reminderTime(title: "renew the passport"))
    }

    func testTodosItemsByNumberAndProfileUpdates() {
        let recent = [ListedItem(kind: .todo, id: "t1", title: "buy milk"), ListedItem(kind: .todo, id: "t2", title: "file taxes")]
        XCTAssertEqual(interpret("add an urgent todo: file taxes", answer: """
            {"tool": "add_todo", "arguments": {"title": "file taxes", "priority": "urgent"}}
            """).0.intent, .addTodo(title: "file taxes", priority: .urgent, description: nil))
        XCTAssertEqual(interpret("the second one is done", answer: """
            {"tool": "complete_todo", "arguments": {"item": 2}}
            """, context: context(recent: recent)).0.intent, .completeTodo(.item(id: "t2", title: "file taxes")))
        XCTAssertEqual(interpret("set my timezone to New York", answer: """
            {"tool": "update_profile", "arguments": {"timezone": "America/New_York"}}
            """).0.intent, .updateProfile([try! ProfileUpdate(field: .timezone, rawValue: "America/New_York")]))
    }

    func testFailuresUnknownToolsAndBadArgumentsGoToTheRules() {
        let message = "add a high priority todo: finish the report"
        let expected = rules.understand(message, context: context())
        let answers: [Result<String, LLMError>] = [
            .failure(LLMError(.timeout, detail: "slow")), .failure(LLMError(.rateLimited, status: 429, detail: "")),
            .success("not json"), .success(#"{"tool": "launch_rocket", "arguments": {}}"#),
            .success(#"{"tool": "update_profile", "arguments": {"email": "not an email"}}"#),
            .success(#"{"tool": "complete_todo", "arguments": {"item": 7}}"#),
        ]
        for answer in answers {
            let result = LLMChatUnderstanding(client: ScriptedChatModel([answer])).interpret(message, context: context())
            XCTAssertEqual(result.engine, "rules", "\(answer)")
            XCTAssertNotNil(result.fallbackReason)
            XCTAssertEqual(result.intent, expected, "\(answer)")
        }
    }

    func testAnAnswerToOurQuestionIsTakenByTheRulesWithoutTheModel() {
        let model = ScriptedChatModel([])
        let pending = context(pending: .reminderTime(title: "call Sam"))
        let result = LLMChatUnderstanding(client: model).interpret("tomorrow at 10am", context: pending)
        XCTAssertEqual(result.intent, rules.understand("tomorrow at 10am", context: pending))
        XCTAssertTrue(model.requests.isEmpty)
    }

    func testThePromptHoldsOnlyThisMessageAndThisUsersListing() {
        let recent = [ListedItem(kind: .reminder, id: "r1", title: "dentist at noon")]
        let (_, model) = interpret("what's next?", answer: #"{"tool": "list_reminders", "arguments": {}}"#,
                                   context: context(recent: recent))
        let messages = model.requests[0].messages
        XCTAssertEqual(messages.count, 2)
        XCTAssertTrue(messages[0].content.contains("1. reminder: dentist at noon"))
        XCTAssertEqual(messages[1].content, "what's next?")
    }
}
