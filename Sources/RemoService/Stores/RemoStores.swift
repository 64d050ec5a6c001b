import AWS
import Common
import Foundation
import Logging

/// The four remo tables, handing out stores bound to one user.
public struct RemoStores: Sendable {
    private let tables: AppConfig.Tables
    private let items: StoredItems

    public init(dynamo: DynamoDBClient, tables: AppConfig.Tables, logger: Logger) {
        self.tables = tables
        items = StoredItems(dynamo: dynamo, logger: logger)
    }

    /// Everything of `userId`, and nothing of anyone else's.
    public func user(_ userId: String) -> UserData {
        UserData(
            reminders: ReminderStore(userId: userId, table: tables.reminders, items: items),
            todos: TodoStore(userId: userId, table: tables.todos, items: items),
            profile: UserStore(userId: userId, table: tables.users, items: items),
            conversations: ConversationStore(userId: userId, table: tables.conversations, items: items))
    }
}

/// The stores of one user.
public struct UserData: Sendable {
    public let reminders: ReminderStore
    public let todos: TodoStore
    public let profile: UserStore
    public let conversations: ConversationStore

    public var userId: String { profile.userId }
}
