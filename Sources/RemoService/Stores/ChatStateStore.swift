import Foundation
import Remo
import SessionDB

/// What the assistant remembers between two messages of one user besides the
/// conversation memory: the question it is waiting on and the last listing
/// ("the second one"). Kept in SessionDB, which every process of the stack
/// shares, so the next message may land on any process.
public struct ChatState: Codable, Sendable, Equatable {
    public var pending: PendingRequest?
    public var recentItems: [ListedItem]
    /// Seconds since 1970 when written (by the chat clock).
    public var updatedAt: Double

    public init(pending: PendingRequest? = nil, recentItems: [ListedItem] = [], updatedAt: Double = 0) {
        self.pending = pending
        self.recentItems = recentItems
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case pending
        case recentItems = "recent_items"
        case updatedAt = "updated_at"
    }
}

/// `ChatState` per user in the SessionDB database `remo`.
public struct ChatStateStore: Sendable {
    /// After this long without a message, a pending question and a listing no
    /// longer frame the next message: "the second one" an hour later is a new request.
    public static let lifetime: TimeInterval = 30 * 60

    private let database: SessionDB
    private let store: Store<ChatState>

    /// The store over the named database `name` (`SessionDBLayout.remo`).
    public init(database: SessionDB, name: String) throws {
        self.database = database
        store = try database.store(name, of: ChatState.self)
    }

    /// The user's state, empty when none or stale at `now`.
    public func state(for userId: String, now: Date) throws -> ChatState {
        guard let state = try database.get(store, userId),
              now.timeIntervalSince1970 - state.updatedAt < Self.lifetime
        else { return ChatState() }
        return state
    }

    /// Replaces the user's state.
    public func save(_ state: ChatState, for userId: String) throws {
        try database.put(store, userId, state)
    }

    /// Forgets the user's state (their data was deleted).
    public func clear(for userId: String) throws {
        try database.delete(store, userId)
    }
}
