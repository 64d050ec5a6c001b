import Foundation

/// Adding, completing and deleting todos.
enum TodoRules {
    private static let priorityWords = ["low", "medium", "normal", "high", "urgent"]

    /// "add a high-priority todo: finish the report, description: Q3 numbers", "urgent todo buy milk",
    /// "add buy milk to my todo list".
    static func add(_ text: String) -> ChatIntent? {
        let normalizedText = normalizeTodoWord(text)
        let lower = normalizedText.lowercased()
        let words = MessageText.words(normalizedText)
        let mentionsList = words.contains { ["todo", "todos", "task", "tasks"].contains($0) }
            || lower.hasSuffix(" to my list") || lower.hasSuffix(" to the list")
        let startsWithAdd = ["add ", "create ", "new ", "make ", "put "].contains { lower.hasPrefix($0) }
        let startsWithTodo = lower.hasPrefix("todo") || lower.hasPrefix("task:")
            || priorityWords.contains { lower.hasPrefix($0 + " todo") || lower.hasPrefix($0 + " task")
                || lower.hasPrefix($0 + "-priority todo") || lower.hasPrefix($0 + " priority todo")
                || lower.hasPrefix($0 + "-priority task") || lower.hasPrefix($0 + " priority task") }
        guard (startsWithAdd && mentionsList) || startsWithTodo else { return nil }
        // "new todos" alone is a question about the list, not an addition.
        guard !(lower.hasPrefix("new ") && words.count <= 2) else { return nil }

        var (body, description) = DescriptionMarker.split(normalizedText)
        var priority = TodoPriority.default
        if let (found, remaining) = extractPriority(from: body) {
            priority = found
            body = remaining
        }
        var title = MessageText.droppingLeading(
            ["add", "create", "new", "make", "put", "a", "an", "another", "todo", "task", "item",
             "to", "called", "named", "saying", "that says"], from: body)
        title = MessageText.droppingTrailing(
            ["to my todo list", "to the todo list", "to my todos", "to my list", "to the list", "on my todo list",
             "on my list", "to my tasks", "to todo list", "to todos", "to my task list", "as a todo", "as a task"],
            from: title)
        title = MessageText.cleanValue(title)
        guard !title.isEmpty else {
            return .clarify(question: "What should the todo say?", pending: nil)
        }
        return .addTodo(title: title, priority: priority, description: description)
    }

    /// "mark buy milk as done", "I finished the report", "delete the todo about milk".
    static func manage(_ text: String, context: ChatContext) -> ChatIntent? {
        let normalizedText = normalizeTodoWord(text)
        let lower = normalizedText.lowercased()
        let deleteVerbs = ["delete", "remove", "drop", "erase", "get rid of", "cancel", "scrap", "cross out"]
        let completeVerbs = ["mark", "complete", "finish", "finished", "i finished", "i've finished", "i have finished",
                             "i completed", "i've completed", "i did", "tick off", "check off", "cross off",
                             "done with", "i'm done with", "i am done with", "set"]
        let isDelete = deleteVerbs.contains { lower.hasPrefix($0 + " ") }
        let endsDone = ReminderRules.doneSuffixes.contains { lower.hasSuffix(" " + $0) }
        let isComplete = !isDelete && (completeVerbs.filter { $0 != "mark" && $0 != "set" }.contains { lower.hasPrefix($0 + " ") }
            || ((lower.hasPrefix("mark ") || lower.hasPrefix("set ")) && endsDone)
            || endsDone)
        guard isDelete || isComplete else { return nil }

        var query = MessageText.droppingLeading(deleteVerbs + completeVerbs, from: normalizedText)
        query = MessageText.droppingTrailing(ReminderRules.doneSuffixes + [
            "from my todo list", "from the todo list", "from my list", "from the list", "from my todos", "off my list",
            "off my todo list", "from my tasks", "off the list",
        ], from: query)
        query = MessageText.droppingLeading(["the", "my", "that", "this", "todos", "todo", "tasks", "task", "item"], from: query)
        query = MessageText.droppingLeading(["about", "for", "called", "named", "to", "saying"], from: query)
        query = MessageText.cleanValue(query)

        // Said without "todo" about something just listed as a reminder: it is that reminder.
        let kind = kindForUnlabelled(query, in: context)
        switch ItemReference.resolve(query, kind: kind, context: context) {
        case .selector(let selector):
            switch (kind, isDelete) {
            case (.todo, true): return .deleteTodo(selector)
            case (.todo, false): return .completeTodo(selector)
            case (.reminder, true): return .cancelReminder(selector)
            case (.reminder, false): return .completeReminder(selector)
            }
        case .question(let question):
            return .clarify(question: question, pending: nil)
        }
    }

    private static func kindForUnlabelled(_ query: String, in context: ChatContext) -> ItemKind {
        let reminders = context.recentItems.filter { $0.kind == .reminder }
        guard !reminders.isEmpty, !context.recentItems.contains(where: { $0.kind == .todo }) else { return .todo }
        if case .none = TitleMatcher.match(query, in: reminders, title: \.title) {
            let plain = TitleMatcher.normalized(query)
            // "it" / "the second one" right after a reminder listing.
            return ["it", "that", "that one", "this one"].contains(plain) || plain.contains("one") || Int(plain) != nil
                ? .reminder : .todo
        }
        return .reminder
    }

    /// "to-do" and "to do list" as "todo".
    static func normalizeTodoWord(_ text: String) -> String {
        text.replacingOccurrences(of: "to-do", with: "todo", options: .caseInsensitive)
            .replacingOccurrences(of: "to do list", with: "todo list", options: .caseInsensitive)
            .replacingOccurrences(of: "todo-list", with: "todo list", options: .caseInsensitive)
    }

    /// The priority a text names and the text without those words.
    static func extractPriority(from text: String) -> (TodoPriority, String)? {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let lowered = words.map { $0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ",:;()")) }
        func priority(_ word: String) -> TodoPriority? {
            priorityWords.contains(word) ? try? TodoPriority(validating: word) : nil
        }
        func removing(_ range: Range<Int>) -> String {
            (Array(words[..<range.lowerBound]) + Array(words[range.upperBound...])).joined(separator: " ")
        }
        for index in lowered.indices {
            let word = lowered[index]
            // "high-priority", "high-prio"
            for suffix in ["-priority", "-prio"] where word.hasSuffix(suffix) {
                if let found = priority(String(word.dropLast(suffix.count))) { return (found, removing(index..<index + 1)) }
            }
            // "high priority", "with high priority", "with a high priority"
            if let found = priority(word), index + 1 < lowered.count, ["priority", "prio"].contains(lowered[index + 1]) {
                var start = index
                if start > 0, lowered[start - 1] == "a" { start -= 1 }
                if start > 0, lowered[start - 1] == "with" { start -= 1 }
                return (found, removing(start..<index + 2))
            }
            // "priority high", "priority: urgent", "priority is low"
            if ["priority", "prio"].contains(word) {
                var next = index + 1
                if next < lowered.count, ["is", "=", "of"].contains(lowered[next]) { next += 1 }
                if next < lowered.count, let found = priority(lowered[next]) {
                    var start = index
                    if start > 0, lowered[start - 1] == "with" { start -= 1 }
                    return (found, removing(start..<next + 1))
                }
            }
        }
        // A bare "urgent" counts at the very start or right before "todo"/"task";
        // elsewhere it may be part of the title ("reply to the urgent email").
        if let first = lowered.first, first == "urgent" || first == "asap" {
            return (.urgent, removing(0..<1))
        }
        for index in lowered.indices.dropLast() where lowered[index] == "urgent"
            && ["todo", "task"].contains(lowered[index + 1]) {
            return (.urgent, removing(index..<index + 1))
        }
        if let last = lowered.last, last == "asap" || (last == "urgent" && lowered.dropLast().last == "it's") {
            return (.urgent, removing((lowered.count - (last == "urgent" ? 2 : 1))..<lowered.count))
        }
        return nil
    }
}
