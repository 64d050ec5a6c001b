import Foundation

/// Writes the assistant's replies. Every reply that follows a change names what
/// was stored: the title, and for reminders the absolute time in the user's zone
/// ("I'll remind you to call Sam on Monday 23 November 2026 at 10:00 (Asia/Kolkata).").
public struct ReplyComposer: Sendable {
    public init() {}

    /// The reply for `outcome`, with times shown in `timeZone`.
    public func reply(for outcome: ChatOutcome, timeZone: TimeZone) -> String {
        switch outcome {
        case .reminderSet(let reminder):
            var text = "I'll remind you to \(reminder.title) on \(when(reminder.remindingTime, timeZone))."
            if let description = reminder.description { text += " Note: \(description)." }
            return text
        case .remindersListed(let reminders, let filter):
            return listing(reminders, filter: filter, timeZone: timeZone)
        case .reminderCompleted(let reminder):
            return "Marked the reminder to \(reminder.title) as done."
        case .reminderCancelled(let reminder):
            return "Cancelled the reminder to \(reminder.title) (\(when(reminder.remindingTime, timeZone)))."
        case .todoAdded(let todo):
            var text = "Added \(article(todo.priority)) \(todo.priority.rawValue)-priority todo: “\(todo.title)”"
            if let description = todo.description { text += " (\(description))" }
            return text + "."
        case .todosListed(let todos, let status, let priority):
            return listing(todos, status: status, priority: priority)
        case .todoCompleted(let todo):
            return "Marked “\(todo.title)” as done."
        case .todoDeleted(let todo):
            return "Deleted the todo “\(todo.title)”."
        case .profileShown(let profile):
            return describe(profile)
        case .profileUpdated(let profile, let updates):
            let changes = updates.map { "\($0.field.spokenName) to \($0.value)" }
            var text = "Updated your \(joined(changes))."
            if updates.contains(where: { $0.field == .timezone }) {
                text += " I'll read and show times in \(profile.preferences.timezone ?? "UTC") from now on."
            }
            return text
        case .noMatch(let kind, let query):
            return "I couldn't find a \(noun(kind)) matching “\(query)”. Which one do you mean?"
        case .severalMatches(let kind, let query, let titles):
            let options = titles.prefix(5).map { "“\($0)”" }
            return "More than one \(noun(kind)) matches “\(query)”: \(joined(options, or: true)). Which one do you mean?"
        case .smallTalk(let talk):
            return smallTalk(talk)
        case .clarification(let question):
            return question
        }
    }

    private func when(_ date: Date, _ timeZone: TimeZone) -> String {
        "\(SpokenDate.dateTime(date, in: timeZone)) (\(zoneName(timeZone)))"
    }

    private func zoneName(_ timeZone: TimeZone) -> String {
        timeZone.identifier == "GMT" ? "UTC" : timeZone.identifier
    }

    private func listing(_ reminders: [Reminder], filter: ReminderListFilter, timeZone: TimeZone) -> String {
        let kind = filter == .pending ? "upcoming reminders" : "reminders"
        guard !reminders.isEmpty else { return "You have no \(kind)." }
        let lines = ChatOutcome.displayOrder(reminders).enumerated().map { index, reminder in
            var line = "\(index + 1). \(reminder.title) — \(SpokenDate.dateTime(reminder.remindingTime, in: timeZone))"
            if filter == .all, reminder.status != .pending { line += " (\(reminder.status.rawValue))" }
            return line
        }
        let count = reminders.count == 1 ? "1 \(filter == .pending ? "upcoming reminder" : "reminder")" : "\(reminders.count) \(kind)"
        return "You have \(count) (times in \(zoneName(timeZone))):\n" + lines.joined(separator: "\n")
    }

    private func listing(_ todos: [Todo], status: TodoStatus?, priority: TodoPriority?) -> String {
        var kind = ""
        if let status { kind += status == .done ? "completed " : "\(status.rawValue) " }
        if let priority { kind += "\(priority.rawValue)-priority " }
        guard !todos.isEmpty else { return "You have no \(kind)todos." }
        let lines = ChatOutcome.displayOrder(todos).enumerated().map { index, todo in
            var line = "\(index + 1). \(todo.title) [\(todo.priority.rawValue)]"
            if status == nil, todo.status != .pending { line += " (\(todo.status.rawValue))" }
            if let description = todo.description { line += " — \(description)" }
            return line
        }
        return "You have \(todos.count) \(kind)todo\(todos.count == 1 ? "" : "s"):\n" + lines.joined(separator: "\n")
    }

    private func describe(_ profile: UserProfile?) -> String {
        guard let profile else {
            return "I don't know anything about you yet. Tell me, for example, “my email is …” or “set my timezone to Asia/Kolkata”."
        }
        var lines: [String] = []
        let name = [profile.firstName, profile.lastName].compactMap { $0 }.joined(separator: " ")
        if !name.isEmpty { lines.append("Name: \(name)") }
        if let email = profile.email { lines.append("Email: \(email)") }
        if let phone = profile.phoneNumber { lines.append("Phone: \(phone)") }
        if let wallet = profile.wallet { lines.append("Wallet: \(wallet)") }
        lines.append("Time zone: \(profile.preferences.timezone ?? "UTC")")
        if let language = profile.preferences.language { lines.append("Language: \(language)") }
        return "Here's what I have for you:\n" + lines.joined(separator: "\n")
    }

    private func smallTalk(_ talk: SmallTalk) -> String {
        switch talk {
        case .greeting: "Hello! How can I help? I can set reminders, keep your todos and remember your details."
        case .thanks: "You're welcome!"
        case .farewell: "Goodbye! I'll keep your reminders safe."
        case .help:
            "I can set reminders (“remind me tomorrow at 10am to call Sam”), list, complete or cancel them; "
                + "add todos with a priority (“add a high-priority todo: finish the report”), list them "
                + "(“show high priority todos”), mark them done or delete them; and remember your email, name, "
                + "phone, wallet, time zone and language (“set my timezone to Asia/Kolkata”)."
        }
    }

    private func article(_ priority: TodoPriority) -> String {
        priority == .urgent ? "an" : "a"
    }

    private func noun(_ kind: ItemKind) -> String {
        kind == .todo ? "todo" : "reminder"
    }

    private func joined(_ items: [String], or: Bool = false) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + (or ? " or " : " and ") + items.last!
    }
}
