import Common
import Foundation
import SessionDB
import Voice

/// Live call sessions in SessionDB, changed together with the outbox jobs the
/// change calls for, in one transaction. Stored by `SessionCodec`, with their
/// agents in `AgentSnapshots`.
public struct SessionStore: Sendable {
    public let database: SessionDB
    private let sessions: RawStore
    private let agents: AgentSnapshots
    public let outbox: Outbox
    public let deadLetters: DeadLetters

    public init(database: SessionDB) throws {
        self.database = database
        sessions = try database.rawStore(SessionDBLayout.sessions)
        agents = AgentSnapshots(store: try database.rawStore(SessionDBLayout.agentSnapshots))
        outbox = try Outbox(database: database, name: SessionDBLayout.outbox, indexName: SessionDBLayout.outboxIndex,
                            policy: VoiceJob.policy)
        deadLetters = try DeadLetters(database: database, name: SessionDBLayout.deadLetters)
    }

    public func session(_ callSid: String) throws -> Session? {
        try snapshot(callSid)?.session
    }

    /// Whether the call has a live session here (cheaper than reading it).
    public func contains(_ callSid: String) throws -> Bool {
        try database.read { txn in try txn.contains(sessions, callSid) }
    }

    /// Every live session, ordered by call SID.
    public func all() throws -> [Session] {
        let stored = try database.read { txn in
            try txn.all(sessions).map { entry in try readable(entry.key, entry.bytes, in: txn) }
        }
        return try stored.map { try decode($0) }
    }

    /// Reads, changes and writes one session atomically; the jobs `body` adds are
    /// enqueued in the same transaction. Setting the session to nil deletes it.
    /// `body` runs inside the host's one write lock: keep it to bookkeeping.
    public func update<Result>(
        _ callSid: String, _ body: (inout Session?, inout [OutboxJob]) throws -> Result
    ) throws -> Result {
        try database.write { txn in
            let stored = try txn.bytes(sessions, callSid)
            let read = try stored.map { try readable(callSid, $0, in: txn) }
            var session = try read.map(decode)
            let before = session
            var jobs: [OutboxJob] = []
            let result = try body(&session, &jobs)
            if session != before {
                try write(session.map { try encode($0, agentReference: read?.agentReference) }, callSid, in: txn)
            }
            for job in jobs { try outbox.enqueue(job, in: txn) }
            return result
        }
    }

    /// The session as stored now, to be changed outside any transaction and
    /// written back with `commit` only if nobody changed it meanwhile.
    public func snapshot(_ callSid: String) throws -> SessionSnapshot? {
        let stored = try database.read { txn in
            try txn.bytes(sessions, callSid).map { try readable(callSid, $0, in: txn) }
        }
        guard let stored else { return nil }
        return SessionSnapshot(session: try decode(stored), bytes: stored.bytes, agentReference: stored.agentReference)
    }

    /// Writes `session` (nil deletes it) and enqueues `jobs`, if the stored
    /// session is still the one `base` read (nil: still absent). Encoding
    /// happens before the write lock is taken; inside it, only a byte compare.
    /// Returns false, writing nothing, when the session changed meanwhile.
    public func commit(_ callSid: String, replacing base: SessionSnapshot?, with session: Session?,
                       jobs: [OutboxJob]) throws -> Bool {
        let encoded = try session.map { try encode($0, agentReference: base?.agentReference) }
        return try database.write { txn in
            guard try txn.holds(sessions, callSid, base?.bytes) else { return false }
            try write(encoded, callSid, in: txn)
            for job in jobs { try outbox.enqueue(job, in: txn) }
            return true
        }
    }

    /// Removes the agent snapshots no live session refers to; returns how many.
    public func sweepAgentSnapshots() throws -> Int {
        try database.write { txn in
            var referenced: Set<String> = []
            for (callSid, bytes) in try txn.prefixes(sessions, length: SessionCodec.headerLength) {
                do {
                    if case .compact(let reference) = try SessionCodec.inspect(bytes) { referenced.insert(reference) }
                } catch {
                    throw SessionDBError.decoding(database: sessions.name, key: callSid, reason: "\(error)")
                }
            }
            return try agents.sweep(keeping: referenced, in: txn)
        }
    }

    // MARK: Encoding

    /// A session's bytes, with its agent as this process knows it, or as
    /// stored when this process has not decoded that agent yet.
    private struct Readable {
        enum StoredAgent {
            case known(Agent, reference: String)
            case undecoded(reference: String, json: [UInt8])
            /// The session is JSON of an earlier version, agent included.
            case inline
        }

        let callSid: String
        let bytes: [UInt8]
        let agent: StoredAgent

        var agentReference: String? {
            switch agent {
            case .known(_, let reference), .undecoded(let reference, _): reference
            case .inline: nil
            }
        }
    }

    private func readable(_ callSid: String, _ bytes: [UInt8], in txn: Transaction) throws -> Readable {
        let stored: SessionCodec.Stored
        do {
            stored = try SessionCodec.inspect(bytes)
        } catch {
            throw SessionDBError.decoding(database: sessions.name, key: callSid, reason: "\(error)")
        }
        guard case .compact(let reference) = stored else { return Readable(callSid: callSid, bytes: bytes, agent: .inline) }
        if let agent = agents.cachedAgent(reference) {
            return Readable(callSid: callSid, bytes: bytes, agent: .known(agent, reference: reference))
        }
        return Readable(callSid: callSid, bytes: bytes,
                        agent: .undecoded(reference: reference, json: try agents.json(for: reference, in: txn)))
    }

    private func decode(_ stored: Readable) throws -> Session {
        do {
            return try SessionCodec.decode(stored.bytes) { reference in
                switch stored.agent {
                case .known(let agent, _): return agent
                case .undecoded(_, let json): return try agents.decode(json, reference: reference)
                case .inline: throw CompactDecodingError.invalid("agent reference in a JSON session")
                }
            }
        } catch let error as SessionDBError {
            throw error
        } catch {
            throw SessionDBError.decoding(database: sessions.name, key: stored.callSid, reason: "\(error)")
        }
    }

    private typealias Encoded = (bytes: [UInt8], agent: AgentSnapshots.Snapshot)

    /// `agentReference`: the snapshot the session was read with, most likely
    /// still its agent's.
    private func encode(_ session: Session, agentReference: String? = nil) throws -> Encoded {
        let agent = try agents.snapshot(of: session.agent, probably: agentReference)
        return (SessionCodec.encode(session, agentReference: agent.reference), agent)
    }

    /// Stores an encoded session with its agent's snapshot; nil deletes the session.
    private func write(_ encoded: Encoded?, _ callSid: String, in txn: Transaction) throws {
        guard let encoded else {
            try txn.delete(sessions, callSid)
            return
        }
        try agents.store(encoded.agent, in: txn)
        try txn.put(sessions, callSid, bytes: encoded.bytes)
    }
}

/// A session with the bytes it was read from, for an optimistic `commit`.
public struct SessionSnapshot: Sendable {
    public let session: Session
    let bytes: [UInt8]
    let agentReference: String?
}
