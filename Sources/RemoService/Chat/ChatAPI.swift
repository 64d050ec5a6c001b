import Common
import Foundation
import Logging
import Remo

/// The answer of `POST /chat`.
struct ChatResponse: Encodable {
    let reply: String
    /// What changed, with ids.
    let actions: [ChatAction]
    /// What the message was understood as (`set_reminder`, `list_todos`, `clarify`…).
    let intent: String
    /// For listings: the items shown, in the order the reply numbers them.
    let items: [ChatAction]?
    /// The zone the reply's times are in.
    let timezone: String
}

/// The body of `POST /chat`, checked field by field.
struct ChatRequestBody {
    let message: String
    let userId: String

    /// Longest client-side history accepted; it is only checked, since the
    /// server's own memory is what the assistant reads.
    static let maximumHistory = 200

    init(_ body: JSONObject) throws {
        message = try body.requiredString("message")
        guard message.count <= ChatMessage.maximumContentLength else {
            throw HTTPError.unprocessable(
                "message is \(message.count) characters long; the most accepted is \(ChatMessage.maximumContentLength)")
        }
        userId = try body.requiredString("user_id")
        switch body.fields["conversation_history"] {
        case nil, .null?:
            break
        case .array(let entries)?:
            guard entries.count <= Self.maximumHistory else {
                throw HTTPError.unprocessable("conversation_history has \(entries.count) entries; the most accepted is \(Self.maximumHistory)")
            }
            for (index, entry) in entries.enumerated() {
                guard case .object(let fields) = entry, case .string(let role)? = fields["role"],
                      case .string(let content)? = fields["content"]
                else {
                    throw HTTPError.badRequest("conversation_history[\(index)] must be an object with string fields 'role' and 'content'")
                }
                guard ChatRole(rawValue: role) != nil || role == "system" else {
                    throw HTTPError.unprocessable("conversation_history[\(index)].role must be user, assistant or system")
                }
                guard content.count <= ChatMessage.maximumContentLength else {
                    throw HTTPError.unprocessable("conversation_history[\(index)].content is too long")
                }
            }
        default:
            throw HTTPError.badRequest("field 'conversation_history' must be an array")
        }
    }
}

extension RemoRuntime {
    /// `POST /chat`.
    public static var chatRoutes: Router<RemoRuntime> {
        var routes = Router<RemoRuntime>()
        routes.user("POST", "/chat") { call, remo, data in try remo.chat(call, data: data) }
        return routes
    }

    /// `POST /chat {message, conversation_history?, user_id}`: understands the
    /// message, acts on the user's stores, stores both messages in the memory and
    /// answers `{reply, actions, intent, items?, timezone}`.
    func chat(_ call: Router<RemoRuntime>.Call, data: UserData) throws -> Response {
        let logger = call.context.logger
        let userId = data.userId
        let body = try ChatRequestBody(JSONObject(call.request))
        guard body.userId == userId else {
            throw HTTPError.forbidden("user_id is not the user of this token; a user can reach only their own data")
        }
        let now = clock.now
        let profile = try data.profile.profile()
        let timeZone = profile?.timeZone ?? TimeZoneName.zone(named: nil)
        let state: ChatState
        do { state = try chatState.state(for: userId, now: now) } catch { throw SessionDBFailure(underlying: error) }

        // The model's answer is due `LLM_TURN_DEADLINE_MS` after arrival, and
        // never later than the request's own deadline.
        let due = min(call.context.deadline.instant,
                      call.context.deadline(after: .milliseconds(config.llm.turnDeadlineMilliseconds)).instant)
        let context = ChatContext(now: now, timeZone: timeZone, recentItems: state.recentItems, pending: state.pending,
                                  deadline: due - .milliseconds(200))
        let intent: ChatIntent
        do {
            let interpretation = try understanding.interpret(body.message, context: context)
            intent = interpretation.intent
            if let reason = interpretation.fallbackReason {
                logger.warning("the rules understood the message instead of the LLM", metadata: ["reason": "\(reason)"])
            }
        } catch {
            logger.error("understanding failed", metadata: ["reason": "\(error)"])
            throw HTTPError.serviceUnavailable("the assistant cannot understand messages right now; try again")
        }
        let step = try IntentExecutor(data: data, now: now, timeZone: timeZone, profile: profile).perform(intent)
        let shownZone = step.outcome.profileZone ?? timeZone
        let reply = composer.reply(for: step.outcome, timeZone: shownZone)
        try data.conversations.appendExchange(message: body.message, reply: reply, at: now)

        var next = ChatState(pending: step.pending, recentItems: state.recentItems, updatedAt: now.timeIntervalSince1970)
        if step.outcome.isListing { next.recentItems = step.outcome.listedItems }
        do { try chatState.save(next, for: userId) } catch { throw SessionDBFailure(underlying: error) }

        logger.info("chat", metadata: ["intent": "\(intent.name)", "actions": "\(step.actions.count)"])
        return try .json(ChatResponse(reply: reply, actions: step.actions, intent: intent.name,
                                      items: step.outcome.shownItems, timezone: zoneName(shownZone)))
    }
}

func zoneName(_ zone: TimeZone) -> String {
    zone.identifier == "GMT" ? "UTC" : zone.identifier
}

extension ChatOutcome {
    var isListing: Bool {
        switch self {
        case .remindersListed, .todosListed: true
        default: false
        }
    }

    /// The items a listing shows, in its order, as the response's `items`.
    var shownItems: [ChatAction]? {
        switch self {
        case .remindersListed(let reminders, _): ChatOutcome.displayOrder(reminders).map { .reminder("reminder", $0) }
        case .todosListed(let todos, _, _): ChatOutcome.displayOrder(todos).map { .todo("todo", $0) }
        default: nil
        }
    }

    /// A zone the user just set: the reply already speaks in it.
    var profileZone: TimeZone? {
        guard case .profileUpdated(let profile, let updates) = self, updates.contains(where: { $0.field == .timezone })
        else { return nil }
        return profile.timeZone
    }
}

extension ChatIntent {
    /// A stable name for logs and the response.
    var name: String {
        switch self {
        case .setReminder: "set_reminder"
        case .listReminders: "list_reminders"
        case .completeReminder: "complete_reminder"
        case .cancelReminder: "cancel_reminder"
        case .addTodo: "add_todo"
        case .listTodos: "list_todos"
        case .completeTodo: "complete_todo"
        case .deleteTodo: "delete_todo"
        case .showProfile: "show_profile"
        case .updateProfile: "update_profile"
        case .smallTalk: "small_talk"
        case .clarify: "clarify"
        }
    }
}
