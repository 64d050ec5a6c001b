import Foundation
import SessionDB

/// Recordings this host has already copied to S3, by call SID, for a day.
///
/// Twilio announces a recording twice (the `completed` status callback and the
/// recording-status callback) and both enqueue an archive job: the second one
/// finds the first's mark here and is done without touching S3 or DynamoDB.
public struct ArchivedRecordings: Sendable {
    private let database: SessionDB
    private let store: Store<ExpiringValue<String>>
    /// Twilio's two announcements come seconds or minutes apart; a day is plenty.
    public static let retention: Double = 86_400

    public init(database: SessionDB, name: String) throws {
        self.database = database
        store = try database.store(name, of: ExpiringValue<String>.self)
    }

    /// Whether `recordingURL` of the call was archived (and its record updated).
    public func contains(callSid: String, recordingURL: String) throws -> Bool {
        try database.get(store, callSid)?.value == recordingURL
    }

    public func markArchived(callSid: String, recordingURL: String, now: Double) throws {
        try database.put(store, callSid, ExpiringValue(value: recordingURL, storedAt: now, ttl: Self.retention))
    }

    /// Forgets marks past their retention; returns how many went.
    @discardableResult
    public func prune(now: Double) throws -> Int {
        try database.removeExpired(store, now: now)
    }
}
