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

extension RemoRuntime {
    /// `GET/POST /user/{user_id}/todos` and `GET/PATCH/DELETE /user/{user_id}/todos/{todo_id}`.
    public static var todoRoutes: Router<RemoRuntime> {
        var routes = Router<RemoRuntime>()
        routes.user("GET", "/user/{user_id}/todos") { call, remo, data in
            let status = try FieldRules.query(call.request, "status", FieldRules.todoStatus)
            let priority = try FieldRules.query(call.request, "priority", FieldRules.priority)
            let found = ChatOutcome.displayOrder(try data.todos.list(status: status, priority: priority, now: remo.clock.now))
            return try .json(TodoList(userId: data.userId, count: found.count, todos: found))
        }
        routes.items(ItemRoutes(
            kind: "todo", collection: "todos",
            create: { remo, body, data in try remo.newTodo(body, data: data, now: remo.clock.now) },
            save: { data, todo in try data.todos.save(todo) },
            read: { data, id, now in try data.todos.todo(id, now: now) },
            changes: { remo, body, data in try remo.todoChanges(body, data: data) },
            update: { data, id, now, changes in try data.todos.update(id, now: now, set: changes) },
            delete: { data, id, now in try data.todos.delete(id, now: now) }))
        return routes
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
