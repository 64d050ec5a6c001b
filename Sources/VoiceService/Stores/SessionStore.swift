import Common
import Foundation
import SessionDB
import Voice

/// Live call sessions in SessionDB, changed together with the outbox jobs the
/// change calls for, in one transaction.
public struct SessionStore: Sendable {
    public let database: SessionDB
    private let sessions: Store<Session>
    public let outbox: Outbox
    public let deadLetters: DeadLetters

    public init(database: SessionDB) throws {
        self.database = database
        sessions = try database.store(SessionDBLayout.sessions, of: Session.self)
        outbox = try Outbox(database: database, name: SessionDBLayout.outbox, indexName: SessionDBLayout.outboxIndex,
                            policy: VoiceJob.policy)
        deadLetters = try DeadLetters(database: database, name: SessionDBLayout.deadLetters)
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
    /// `body` runs inside the host's one write lock: keep it to bookkeeping.
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

    /// The session as stored now, to be changed outside any transaction and
    /// written back with `commit` only if nobody changed it meanwhile.
    public func snapshot(_ callSid: String) throws -> SessionSnapshot? {
        guard let encoded = try database.read({ txn in try txn.encoded(sessions, callSid) }) else { return nil }
        return SessionSnapshot(session: try encoded.decode(), encoded: encoded)
    }

    /// Writes `session` (nil deletes it) and enqueues `jobs`, if the stored
    /// session is still the one `base` read (nil: still absent). Encoding
    /// happens before the write lock is taken; inside it, only a byte compare.
    /// Returns false, writing nothing, when the session changed meanwhile.
    public func commit(_ callSid: String, replacing base: SessionSnapshot?, with session: Session?,
                       jobs: [OutboxJob]) throws -> Bool {
        let encoded = try session.map { try EncodedValue($0) }
        return try database.write { txn in
            guard try txn.holds(sessions, callSid, base?.encoded) else { return false }
            if let encoded {
                try txn.put(sessions, callSid, encoded: encoded)
            } else {
                try txn.delete(sessions, callSid)
            }
            for job in jobs { try outbox.enqueue(job, in: txn) }
            return true
        }
    }
}

/// A session with the bytes it was read from, for an optimistic `commit`.
public struct SessionSnapshot: Sendable {
    public let session: Session
    let encoded: EncodedValue<Session>
}
