import AWS
import Foundation
import Remo

/// One user's profile in `remo-users` (PK `privy_id`), bound to that id.
public struct UserStore: Sendable {
    /// The user whose profile this store reaches.
    public let userId: String
    private let table: String
    private let items: StoredItems

    init(userId: String, table: String, items: StoredItems) {
        self.userId = userId
        self.table = table
        self.items = items
    }

    /// The profile, nil when none is stored.
    public func profile() throws(RemoStoreError) -> UserProfile? {
        do {
            return try items.dynamo.getItem(UserProfile.self, table: table, key: key, consistentRead: true)
        } catch {
            throw RemoStoreError(error)
        }
    }

    /// Writes the whole profile (details and preferences).
    public func save(_ profile: UserProfile) throws(RemoStoreError) {
        guard profile.privyId == userId else { throw .wrongOwner }
        do {
            try items.dynamo.putItem(table: table, value: profile)
        } catch {
            throw RemoStoreError(error)
        }
    }

    /// The stored profile, or a new empty one stamped `now` (not written).
    public func profileOrNew(now: Date) throws(RemoStoreError) -> UserProfile {
        try profile() ?? UserProfile(privyId: userId, createdAt: now, updatedAt: now)
    }

    /// Applies `updates` to the profile (creating it when absent) and writes it.
    public func apply(_ updates: [ProfileUpdate], now: Date) throws(RemoStoreError) -> UserProfile {
        var profile = try profileOrNew(now: now)
        for update in updates { profile = profile.applying(update, now: now) }
        try save(profile)
        return profile
    }

    /// Merges `preferences` into the stored ones (creating the profile when absent) and writes it.
    public func mergePreferences(_ preferences: UserPreferences, now: Date) throws(RemoStoreError) -> UserProfile {
        var profile = try profileOrNew(now: now)
        profile.preferences = profile.preferences.merging(preferences)
        profile.updatedAt = now
        try save(profile)
        return profile
    }

    /// Deletes the profile; returns whether one existed.
    public func delete() throws(RemoStoreError) -> Bool {
        do {
            return try items.dynamo.deleteItem(table: table, key: key, returnValues: .allOld) != nil
        } catch {
            throw RemoStoreError(error)
        }
    }

    private var key: DynamoDBItem { ["privy_id": .string(userId)] }
}
