import Foundation

/// Setting, completing and cancelling reminders.
struct ReminderRules {
    let parser: TimePhraseParser
    let context: ChatContext

    private static let setTriggers = [
        "remind me", "set a reminder", "set reminder", "set me a reminder", "create a reminder", "create reminder",
        "add a reminder", "add reminder", "new reminder", "make a reminder", "reminder",
    ]

    /// Words between the trigger and the title: "remind me *to* call Sam".
    private static let titleConnectors = [
        "to", "that", "about", "of", "for", "i need to", "i have to", "i must", "i should", "me to",
    ]

    /// A bare answer to the question we last asked: a time for a title we hold.
    func answerToPending(_ text: String) -> ChatIntent? {
        guard case .reminderTime(let title) = context.pending else { return nil }
        let resolution = parser.resolve(text, now: context.now, timeZone: context.timeZone)
        switch resolution {
        case .resolved(let date):
            return .setReminder(title: title, at: date, description: nil)
        case .ambiguous(let question):
            return .clarify(question: question, pending: context.pending)
        case .unparseable(let question):
            // Not a time at all: the user moved on, unless it looked like one.
            guard parser.extract(from: text, now: context.now, timeZone: context.timeZone)?.phrase == text else { return nil }
            return .clarify(question: question, pending: context.pending)
        }
    }

    /// "remind me tomorrow at 10am to call Sam", "set a reminder for 5pm: gym".
    func set(_ text: String) -> ChatIntent? {
        guard let trigger = Self.setTriggers.first(where: { MessageText.remainder(of: text, after: $0) != nil }),
              let rest = MessageText.remainder(of: text, after: trigger)
        else { return nil }
        // "reminders" and "reminder list" are listings, handled elsewhere.
        if trigger == "reminder", !text.lowercased().hasPrefix("reminder:") && !text.lowercased().hasPrefix("reminder to") {
            return nil
        }
        let (body, description) = DescriptionMarker.split(rest)
        guard let mention = parser.extract(from: body, now: context.now, timeZone: context.timeZone) else {
            let title = Self.title(from: body)
            guard !title.isEmpty else {
                return .clarify(question: "What should I remind you about, and when?", pending: nil)
            }
            return .clarify(question: "When should I remind you to \(title)?", pending: .reminderTime(title: title))
        }
        let title = Self.title(from: [mention.before, mention.after].filter { !$0.isEmpty }.joined(separator: " "))
        switch mention.resolution {
        case .resolved(let date):
            guard !title.isEmpty else {
                let when = SpokenDate.dateTime(date, in: context.timeZone)
                return .clarify(question: "What should I remind you about on \(when)?", pending: .reminderTitle(at: date))
            }
            return .setReminder(title: title, at: date, description: description)
        case .ambiguous(let question), .unparseable(let question):
            return .clarify(question: question, pending: title.isEmpty ? nil : .reminderTime(title: title))
        }
    }

    /// "cancel the reminder to call Sam", "mark the reminder about Sam as done".
    func manage(_ text: String) -> ChatIntent? {
        let words = MessageText.words(text)
        guard words.contains(where: { $0 == "reminder" || $0 == "reminders" }) else { return nil }
        let cancelVerbs = ["cancel", "delete", "remove", "drop", "erase", "scrap", "forget", "get rid of", "stop"]
        let completeVerbs = ["mark", "complete", "completed", "finish", "finished", "tick off", "check off", "done with", "i'm done with"]
        let lower = text.lowercased()
        let isCancel = cancelVerbs.contains { lower.hasPrefix($0 + " ") }
        let isComplete = !isCancel && (completeVerbs.contains { lower.hasPrefix($0 + " ") }
            || lower.hasSuffix(" as done") || lower.hasSuffix(" is done") || lower.hasSuffix(" done"))
        guard isCancel || isComplete else { return nil }

        var query = MessageText.droppingLeading(cancelVerbs + completeVerbs, from: text)
        query = MessageText.droppingTrailing(Self.doneSuffixes, from: query)
        query = MessageText.droppingLeading(["the", "my", "that", "this", "reminders", "reminder"], from: query)
        query = MessageText.droppingLeading(["to", "about", "for", "called", "named", "of", "that"], from: query)
        query = MessageText.cleanValue(query)
        switch ItemReference.resolve(query, kind: .reminder, context: context) {
        case .selector(let selector):
            return isCancel ? .cancelReminder(selector) : .completeReminder(selector)
        case .question(let question):
            return .clarify(question: question, pending: nil)
        }
    }

    static let doneSuffixes = [
        "as done", "as complete", "as completed", "as finished", "is done", "is finished", "is complete",
        "done", "complete", "completed", "finished", "as cancelled", "as canceled",
    ]

    private static func title(from text: String) -> String {
        MessageText.cleanValue(MessageText.droppingLeading(titleConnectors, from: MessageText.cleanValue(text)))
    }
}

/// Descriptions written after the title: ", description: Q3 numbers", "(note: bring ID)".
enum DescriptionMarker {
    static func split(_ text: String) -> (String, String?) {
        let lower = text.lowercased()
        for marker in ["description", "details", "desc", "notes", "note"] {
            var searchStart = lower.startIndex
            while let range = lower.range(of: marker, range: searchStart..<lower.endIndex) {
                searchStart = range.upperBound
                let before = lower[..<range.lowerBound]
                guard before.isEmpty || before.last == " " || before.last == "," || before.last == "(" || before.last == ";"
                else { continue }
                var after = lower[range.upperBound...].drop(while: { $0 == " " })
                guard let separator = after.first, ":=-".contains(separator) else { continue }
                after = after.dropFirst()
                let offset = lower.distance(from: lower.startIndex, to: after.startIndex)
                let head = String(text.prefix(lower.distance(from: lower.startIndex, to: range.lowerBound)))
                var description = String(text.dropFirst(offset))
                if head.hasSuffix("("), description.hasSuffix(")") { description.removeLast() }
                let cleanHead = MessageText.cleanValue(head.hasSuffix("(") ? String(head.dropLast()) : head)
                let cleanDescription = MessageText.cleanValue(description)
                return (cleanHead, cleanDescription.isEmpty ? nil : cleanDescription)
            }
        }
        return (text, nil)
    }
}
