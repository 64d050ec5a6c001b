import Foundation
import SessionDB
import Voice

/// Live call sessions in SessionDB, changed together with the outbox jobs the
/// change calls for, in one transaction.
public struct SessionStore: Sendable {
    public let database: SessionDB
    private let sessions: Store<Session>
    public let outbox: Outbox

    public init(database: SessionDB, sessionsName: String, outboxName: String) throws {
        self.database = database
        sessions = try database.store(sessionsName, of: Session.self)
        outbox = try Outbox(database: database, name: outboxName)
    }

    public func session(_ callSid: String) throws -> Session? {
        try database.get(sessions, callSid)
    }

    /// Whether the call has a live session here (cheaper than reading it).
    public func contains(_ callSid: String) throws -> Bool {
        try database.contains(sessions, callSid)
    }

    /// Every live session, ordered by call SID.
    public func all() throws -> [Session] {
        try database.read { txn in try txn.all(sessions).map(\.value) }
    }

    /// Reads, changes and writes one session atomically; the jobs `body` adds are
    /// enqueued in the same transaction. Setting the session to nil deletes it.
    public func update<Result>(
        _ callSid: String, _ body: (inout Session?, inout [OutboxJob]) throws -> Result
    ) throws -> Result {
        try database.write { txn in
            var session = try txn.get(sessions, callSid)
            let before = session
            var jobs: [OutboxJob] = []
            let result = try body(&session, &jobs)
            if session != before {
                if let session {
                    try txn.put(sessions, callSid, session)
                } else {
                    try txn.delete(sessions, callSid)
                }
            }
            for job in jobs { try outbox.enqueue(job, in: txn) }
            return result
        }
    }
}
