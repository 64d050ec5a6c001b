import Foundation
import LLM

/// Understanding by an LLM that chooses one of the assistant's tools (the same
/// intents the rules produce, carried out by the same executor), with the
/// rules as the fallback of every message.
///
/// Times stay exact: the model passes the user's own words for a time
/// ("tomorrow at 10am") and our time parser resolves them in the user's zone;
/// an ambiguous phrase gets our clarifying question. The model sees this
/// message and this user's last listing only, never anything of another user.
/// A pending question (we asked "when?") is answered by the rules, which keep
/// the half-finished request.
public struct LLMChatUnderstanding: ChatUnderstanding {
    let client: any ChatCompleting
    let rules: RuleBasedUnderstanding
    let parser: TimePhraseParser
    /// The model's time when the context carries no deadline.
    let defaultTime: Duration

    public init(client: any ChatCompleting, parser: TimePhraseParser = TimePhraseParser(),
                defaultTime: Duration = .seconds(4)) {
        self.client = client
        self.parser = parser
        self.rules = RuleBasedUnderstanding(parser: parser)
        self.defaultTime = defaultTime
    }

    public func understand(_ message: String, context: ChatContext) -> ChatIntent {
        interpret(message, context: context).intent
    }

    public func interpret(_ message: String, context: ChatContext) -> ChatInterpretation {
        if context.pending != nil {
            return ChatInterpretation(intent: rules.understand(message, context: context), engine: "rules")
        }
        let request = ChatRequest(messages: ChatToolPrompt.messages(message, context: context),
                                  responseSchema: ChatToolPrompt.responseSchema, maxTokens: 200,
                                  deadline: context.deadline ?? .now + defaultTime, purpose: "chat")
        let content: String
        do {
            content = try client.complete(request).content
        } catch {
            return fallback(message, context, reason: error.kind.rawValue)
        }
        guard let call = ToolCall(content: content) else { return fallback(message, context, reason: "unusable reply") }
        guard let intent = intent(for: call, context: context) else {
            return fallback(message, context, reason: "tool \(call.tool) with unusable arguments")
        }
        return ChatInterpretation(intent: intent, engine: "llm")
    }

    private func fallback(_ message: String, _ context: ChatContext, reason: String) -> ChatInterpretation {
        ChatInterpretation(intent: rules.understand(message, context: context), engine: "rules", fallbackReason: reason)
    }

    /// The intent a tool call stands for; nil when its arguments cannot be used.
    func intent(for call: ToolCall, context: ChatContext) -> ChatIntent? {
        let args = call.arguments
        switch call.tool {
        case "set_reminder":
            guard let title = args.text("title") else { return nil }
            guard let when = args.text("when") else {
                return .clarify(question: "When should I remind you to \(title)?", pending: .reminderTime(title: title))
            }
            switch parser.resolve(when, now: context.now, timeZone: context.timeZone) {
            case .resolved(let date):
                return .setReminder(title: title, at: date, description: args.text("description"))
            case .ambiguous(let question), .unparseable(let question):
                return .clarify(question: question, pending: .reminderTime(title: title))
            }
        case "list_reminders":
            return .listReminders(args.text("filter") == "all" ? .all : .pending)
        case "complete_reminder", "cancel_reminder":
            guard let selector = selector(args.text("item"), kind: .reminder, context: context) else { return nil }
            return call.tool == "complete_reminder" ? .completeReminder(selector) : .cancelReminder(selector)
        case "add_todo":
            guard let title = args.text("title") else { return nil }
            let priority = args.text("priority").flatMap { try? TodoPriority(validating: $0) } ?? .medium
            return .addTodo(title: title, priority: priority, description: args.text("description"))
        case "list_todos":
            return .listTodos(status: args.text("status").flatMap { TodoStatus(lenient: $0) },
                              priority: args.text("priority").flatMap { try? TodoPriority(validating: $0) })
        case "complete_todo", "delete_todo":
            guard let selector = selector(args.text("item"), kind: .todo, context: context) else { return nil }
            return call.tool == "complete_todo" ? .completeTodo(selector) : .deleteTodo(selector)
        case "show_profile":
            return .showProfile
        case "update_profile":
            var updates: [ProfileUpdate] = []
            for field in ProfileField.allCases {
                guard let value = args.text(field.rawValue) else { continue }
                guard let update = try? ProfileUpdate(field: field, rawValue: value) else { return nil }
                updates.append(update)
            }
            return updates.isEmpty ? nil : .updateProfile(updates)
        case "small_talk":
            return args.text("kind").flatMap(SmallTalk.init(rawValue:)).map(ChatIntent.smallTalk)
        case "clarify":
            return args.text("question").map { .clarify(question: $0, pending: nil) }
        default:
            return nil
        }
    }

    /// An item named by its position in the last listing ("2") or by words of its title.
    private func selector(_ reference: String?, kind: ItemKind, context: ChatContext) -> ItemSelector? {
        guard let reference else { return nil }
        if let position = Int(reference) {
            let shown = context.recentItems.filter { $0.kind == kind }
            guard (1...max(1, shown.count)).contains(position), position <= shown.count else { return nil }
            return .item(id: shown[position - 1].id, title: shown[position - 1].title)
        }
        return .titleMatching(reference)
    }
}

/// The model's choice: `{"tool": name, "arguments": {…}}`.
struct ToolCall {
    var tool: String
    var arguments: [String: Any]

    init?(content: String) {
        let text = ModelOutput.unfenced(content)
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
              let tool = object["tool"] as? String else { return nil }
        self.tool = tool
        self.arguments = object["arguments"] as? [String: Any] ?? [:]
    }
}

extension Dictionary where Key == String, Value == Any {
    /// A non-empty string argument (numbers as their digits).
    func text(_ name: String) -> String? {
        let value: String?
        switch self[name] {
        case let text as String: value = text
        case let number as NSNumber: value = number.stringValue
        default: value = nil
        }
        guard let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return String(trimmed.prefix(500))
    }
}
