import Foundation

/// "what are my todos?", "show high priority todos", "list all my reminders".
enum ListRules {
    static func match(_ text: String) -> ChatIntent? {
        let normalizedText = TodoRules.normalizeTodoWord(text)
        let words = MessageText.words(normalizedText)
        let lower = normalizedText.lowercased()
        let asks = words.contains { ["what", "what's", "whats", "show", "list", "see", "view", "display", "any", "get",
                                     "which", "give", "tell", "check", "read", "my", "all", "have"].contains($0) }
            || words.count <= 2
        guard asks else { return nil }

        if words.contains(where: { $0 == "reminder" || $0 == "reminders" }) {
            let wantsAll = words.contains { ["all", "every", "including", "completed", "done", "cancelled", "history", "past"].contains($0) }
            return .listReminders(wantsAll ? .all : .pending)
        }
        let aboutTodos = words.contains { ["todo", "todos", "task", "tasks"].contains($0) }
            || lower.contains("what do i have to do") || lower.contains("what's on my list")
            || lower.contains("what is on my list") || lower == "my list"
        guard aboutTodos else { return nil }
        var status: TodoStatus? = .pending
        if words.contains(where: { ["done", "completed", "finished", "complete"].contains($0) }) {
            status = .done
        } else if words.contains(where: { ["cancelled", "canceled"].contains($0) }) {
            status = .cancelled
        } else if words.contains(where: { ["all", "every", "everything"].contains($0) }) {
            status = nil
        }
        var priority: TodoPriority?
        for word in words {
            let bare = word.replacingOccurrences(of: "-priority", with: "")
            if ["low", "medium", "high", "urgent"].contains(bare) { priority = try? TodoPriority(validating: bare) }
        }
        return .listTodos(status: status, priority: priority)
    }
}
