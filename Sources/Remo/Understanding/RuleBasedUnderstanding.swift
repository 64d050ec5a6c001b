import Foundation

/// Understands chat messages with hand-written rules: no model, no network,
/// the same answer every time. Requests it cannot place get a question back.
public struct RuleBasedUnderstanding: ChatUnderstanding {
    private let parser: TimePhraseParser

    public init(parser: TimePhraseParser = TimePhraseParser()) {
        self.parser = parser
    }

    public func understand(_ message: String, context: ChatContext) -> ChatIntent {
        let text = MessageText.droppingLeading(MessageText.politePrefixes, from: MessageText.tidy(message))
        guard !text.isEmpty else { return .clarify(question: Replies.helpQuestion, pending: context.pending) }

        if let smallTalk = SmallTalkRules.match(text) {
            return .smallTalk(smallTalk)
        }
        let reminders = ReminderRules(parser: parser, context: context)
        if let answer = reminders.answerToPending(text) {
            return answer
        }
        let rules: [(String) -> ChatIntent?] = [
            reminders.set,
            ProfileRules.update,
            TodoRules.add,
            reminders.manage,
            { TodoRules.manage($0, context: context) },
            ListRules.match,
            ProfileRules.show,
        ]
        for rule in rules {
            if let intent = rule(text) { return intent }
        }
        if case .reminderTitle(let at) = context.pending {
            // We asked what to remind about; anything that is not another request is the answer.
            return .setReminder(title: MessageText.cleanValue(text), at: at, description: nil)
        }
        return .clarify(question: Replies.notUnderstood, pending: nil)
    }
}

/// Fixed wording shared by the rules.
enum Replies {
    static let helpQuestion = "What can I do for you? I can set reminders (“remind me tomorrow at 10am to call Sam”), "
        + "keep todos (“add a high-priority todo: finish the report”) and remember your details (“my email is …”)."
    static let notUnderstood = "Sorry, I didn't understand that. You can ask me to set a reminder "
        + "(“remind me in 2 hours to stretch”), add or list todos, or update your profile. What would you like to do?"
}

/// Greetings, thanks and requests for help, said on their own.
enum SmallTalkRules {
    static func match(_ text: String) -> SmallTalk? {
        let plain = TitleMatcher.normalized(text)
        switch plain {
        case "hi", "hello", "hey", "hiya", "good morning", "good afternoon", "good evening", "yo", "howdy", "namaste":
            return .greeting
        case "thanks", "thank you", "thx", "ty", "thanks a lot", "thank you so much", "cheers", "great thanks", "ok thanks":
            return .thanks
        case "bye", "goodbye", "good night", "see you", "see ya", "later bye":
            return .farewell
        case "help", "what can you do", "what do you do", "how does this work", "what are you", "who are you",
             "commands", "menu":
            return .help
        default:
            return nil
        }
    }
}
