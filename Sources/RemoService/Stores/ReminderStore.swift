import AWS
import Foundation
import Remo

/// One user's reminders in `remo-reminders` (PK `user_id`, SK `reminder_id`,
/// GSI `status-index` on `user_id` + `status`).
///
/// A store is bound to one user id, the authenticated user's, when it is made:
/// every key and every key condition it builds carries that id, so no call on it
/// can read or change another user's items whatever ids it is given.
public struct ReminderStore: Sendable {
    public static let statusIndex = "status-index"

    /// The user whose items this store reaches.
    public let userId: String
    private let table: String
    private let items: StoredItems

    init(userId: String, table: String, items: StoredItems) {
        self.userId = userId
        self.table = table
        self.items = items
    }

    /// Stores a new reminder. It must belong to this store's user; the write never
    /// replaces an existing item (ids are random, so a clash means a bug).
    public func save(_ reminder: Reminder) throws(RemoStoreError) {
        guard reminder.userId == userId else { throw .wrongOwner }
        do {
            try items.dynamo.putItem(table: table, value: reminder, condition: "attribute_not_exists(reminder_id)")
        } catch {
            throw RemoStoreError(error)
        }
    }

    /// The reminder with `id`, nil when there is none (or it has expired).
    public func reminder(_ id: String, now: Date) throws(RemoStoreError) -> Reminder? {
        do {
            let found = try items.dynamo.getItem(table: table, key: key(id), consistentRead: true)
            return found.flatMap { items.decodeLive(Reminder.self, $0, now: now) }
        } catch {
            throw RemoStoreError(error)
        }
    }

    /// All reminders, or those with `status` (through `status-index`), unexpired.
    public func list(status: ReminderStatus? = nil, now: Date) throws(RemoStoreError) -> [Reminder] {
        let query: DynamoDBQuery
        if let status {
            query = DynamoDBQuery(table: table, index: Self.statusIndex, keyCondition: "user_id = :user AND #status = :status",
                                  names: ["#status": "status"],
                                  values: [":user": .string(userId), ":status": .string(status.rawValue)])
        } else {
            query = DynamoDBQuery(table: table, keyCondition: "user_id = :user", values: [":user": .string(userId)],
                                  consistentRead: true)
        }
        do {
            return try items.all(Reminder.self, query, now: now)
        } catch {
            throw RemoStoreError(error)
        }
    }

    /// Sets the status (and `updated_at`); nil when there is no such live reminder.
    public func updateStatus(_ id: String, to status: ReminderStatus, now: Date) throws(RemoStoreError) -> Reminder? {
        try update(id, now: now, set: ["status": .string(status.rawValue)])
    }

    /// Sets the given attributes (already validated, in their stored form) and
    /// `updated_at`; nil when there is no such live reminder.
    public func update(_ id: String, now: Date, set attributes: DynamoDBItem) throws(RemoStoreError) -> Reminder? {
        try items.updateLive(Reminder.self, table: table, key: key(id), sortKey: "reminder_id", now: now, set: attributes)
    }

    /// Deletes the reminder; returns it, or nil when there was no such live reminder.
    public func delete(_ id: String, now: Date) throws(RemoStoreError) -> Reminder? {
        try items.deleteLive(Reminder.self, table: table, key: key(id), sortKey: "reminder_id", now: now)
    }

    /// Deletes every reminder of the user, expired ones included; returns how many.
    public func deleteAll() throws(RemoStoreError) -> Int {
        try items.deleteAll(table: table, userId: userId, sortKey: "reminder_id")
    }

    private func key(_ id: String) -> DynamoDBItem {
        ["user_id": .string(userId), "reminder_id": .string(id)]
    }
}
