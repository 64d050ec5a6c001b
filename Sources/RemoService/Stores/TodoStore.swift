import AWS
import Foundation
import Remo

/// One user's todos in `remo-todos` (PK `user_id`, SK `todo_id`; GSIs
/// `status-index` on `user_id` + `status` and `priority-index` on `user_id` + `priority`).
///
/// Bound to one user id like `ReminderStore`: every key it builds carries it.
public struct TodoStore: Sendable {
    public static let statusIndex = "status-index"
    public static let priorityIndex = "priority-index"

    /// The user whose items this store reaches.
    public let userId: String
    private let table: String
    private let items: StoredItems

    init(userId: String, table: String, items: StoredItems) {
        self.userId = userId
        self.table = table
        self.items = items
    }

    /// Stores a new todo of this store's user, never replacing an existing item.
    public func save(_ todo: Todo) throws(RemoStoreError) {
        guard todo.userId == userId else { throw .wrongOwner }
        do {
            try items.dynamo.putItem(table: table, value: todo, condition: "attribute_not_exists(todo_id)")
        } catch {
            throw RemoStoreError(error)
        }
    }

    /// The todo with `id`, nil when there is none (or it has expired).
    public func todo(_ id: String, now: Date) throws(RemoStoreError) -> Todo? {
        do {
            let found = try items.dynamo.getItem(table: table, key: key(id), consistentRead: true)
            return found.flatMap { items.decodeLive(Todo.self, $0, now: now) }
        } catch {
            throw RemoStoreError(error)
        }
    }

    /// Todos with `status` and/or `priority` (nil: any), unexpired. A status goes
    /// through `status-index` (a priority then filters), a priority alone through
    /// `priority-index`, neither through the table.
    public func list(status: TodoStatus? = nil, priority: TodoPriority? = nil, now: Date) throws(RemoStoreError) -> [Todo] {
        let user: DynamoDBItem = [":user": .string(userId)]
        var query: DynamoDBQuery
        switch (status, priority) {
        case (let status?, let priority):
            query = DynamoDBQuery(table: table, index: Self.statusIndex, keyCondition: "user_id = :user AND #status = :status",
                                  names: ["#status": "status"],
                                  values: user.merging([":status": .string(status.rawValue)]) { $1 })
            if let priority {
                query.filter = "#priority = :priority"
                query.names["#priority"] = "priority"
                query.values[":priority"] = .string(priority.rawValue)
            }
        case (nil, let priority?):
            query = DynamoDBQuery(table: table, index: Self.priorityIndex, keyCondition: "user_id = :user AND #priority = :priority",
                                  names: ["#priority": "priority"],
                                  values: user.merging([":priority": .string(priority.rawValue)]) { $1 })
        case (nil, nil):
            query = DynamoDBQuery(table: table, keyCondition: "user_id = :user", values: user, consistentRead: true)
        }
        do {
            return try items.all(Todo.self, query, now: now)
        } catch {
            throw RemoStoreError(error)
        }
    }

    /// Sets the status (and `updated_at`); nil when there is no such live todo.
    public func updateStatus(_ id: String, to status: TodoStatus, now: Date) throws(RemoStoreError) -> Todo? {
        try update(id, now: now, set: ["status": .string(status.rawValue)])
    }

    /// Sets the given attributes (validated, in stored form) and `updated_at`;
    /// nil when there is no such live todo.
    public func update(_ id: String, now: Date, set attributes: DynamoDBItem) throws(RemoStoreError) -> Todo? {
        try items.updateLive(Todo.self, table: table, key: key(id), sortKey: "todo_id", now: now, set: attributes)
    }

    /// Deletes the todo; returns it, or nil when there was no such live todo.
    public func delete(_ id: String, now: Date) throws(RemoStoreError) -> Todo? {
        try items.deleteLive(Todo.self, table: table, key: key(id), sortKey: "todo_id", now: now)
    }

    /// Deletes every todo of the user, expired ones included; returns how many.
    public func deleteAll() throws(RemoStoreError) -> Int {
        try items.deleteAll(table: table, userId: userId, sortKey: "todo_id")
    }

    private func key(_ id: String) -> DynamoDBItem {
        ["user_id": .string(userId), "todo_id": .string(id)]
    }
}
