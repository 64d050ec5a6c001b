import AWS
import Common
import Foundation
import Logging
import Remo

struct TodoList: Encodable {
    let userId: String
    let count: Int
    let todos: [Todo]

    enum CodingKeys: String, CodingKey {
        case userId = "user_id", count, todos
    }
}

struct TodoAnswer: Encodable {
    let todo: Todo
}

extension RemoRuntime {
    /// `GET/POST /user/{id}/todos` and `GET/PATCH/DELETE /user/{id}/todos/{todo_id}`.
    public func todos(_ request: Request, logger: Logger) throws -> Response {
        let path = try UserPath(request, resources: ["todos"])
        let userId = try auth.authorize(request, as: path.userId)
        let data = stores.user(userId)
        let now = clock.now
        return try answering(logger) {
            guard let id = path.itemId else {
                switch request.method {
                case "GET", "HEAD":
                    let status = try FieldRules.query(request, "status", FieldRules.todoStatus)
                    let priority = try FieldRules.query(request, "priority", FieldRules.priority)
                    let found = ChatOutcome.displayOrder(try data.todos.list(status: status, priority: priority, now: now))
                    return try .json(TodoList(userId: userId, count: found.count, todos: found))
                case "POST":
                    let todo = try newTodo(JSONObject(request), data: data, now: now)
                    try data.todos.save(todo)
                    return try .json(TodoAnswer(todo: todo), status: 201)
                default:
                    throw HTTPError.methodNotAllowed(request.method, allowed: ["GET", "POST"])
                }
            }
            switch request.method {
            case "GET", "HEAD":
                guard let todo = try data.todos.todo(id, now: now) else { throw notFound(todo: id) }
                return try .json(TodoAnswer(todo: todo))
            case "PATCH":
                let changes = try todoChanges(JSONObject(request), data: data)
                guard let todo = try data.todos.update(id, now: now, set: changes) else { throw notFound(todo: id) }
                return try .json(TodoAnswer(todo: todo))
            case "DELETE":
                guard try data.todos.delete(id, now: now) != nil else { throw notFound(todo: id) }
                return try .json(DeletedAnswer(deleted: true, id: id))
            default:
                throw HTTPError.methodNotAllowed(request.method, allowed: ["GET", "PATCH", "DELETE"])
            }
        }
    }

    private func notFound(todo id: String) -> HTTPError {
        HTTPError.notFound("no todo \(id) for this user")
    }

    /// `{title, priority?, description?, due?}`.
    private func newTodo(_ body: JSONObject, data: UserData, now: Date) throws -> Todo {
        try FieldRules.checkOwner(body, data.userId)
        try body.refuse(["todo_id"])
        let title = try body.requiredString("title")
        let priority = try body.string("priority").map { text throws(ValidationError) in try FieldRules.priority(text) }
            ?? .default
        var due: Date?
        if let text = try body.string("due") {
            let zone = try data.profile.profile()?.timeZone ?? TimeZoneName.zone(named: nil)
            due = try FieldRules.dateTime(text, field: "due", timeZone: zone)
        }
        return try Todo.new(userId: data.userId, title: title, description: try body.string("description"),
                            priority: priority, due: due, now: now)
    }

    /// The attributes a PATCH sets: `status`, `priority`, `title`, `description`.
    private func todoChanges(_ body: JSONObject, data: UserData) throws -> DynamoDBItem {
        try FieldRules.checkOwner(body, data.userId)
        try body.refuse(["todo_id", "created_at", "ttl"])
        var changes: DynamoDBItem = [:]
        if let status = try body.string("status") {
            changes["status"] = .string(try FieldRules.todoStatus(status).rawValue)
        }
        if let priority = try body.string("priority") {
            changes["priority"] = .string(try FieldRules.priority(priority).rawValue)
        }
        if body.has("title") {
            let (title, _) = try FieldRules.text(title: try body.requiredString("title"), description: nil)
            changes["title"] = .string(title)
        }
        if let description = try body.string("description") {
            let (_, text) = try FieldRules.text(title: "-", description: description)
            guard let text else { throw HTTPError.badRequest("field 'description' must not be empty") }
            changes["description"] = .string(text)
        }
        guard !changes.isEmpty else {
            throw HTTPError.badRequest("nothing to change: give status, priority, title or description")
        }
        return changes
    }
}
