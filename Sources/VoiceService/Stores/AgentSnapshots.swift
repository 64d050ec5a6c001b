import CryptoCore
import Foundation
import SessionDB
import Voice

/// The agents that sessions were answered with. A call keeps the agent as it
/// was when answered, and most calls share a few agents, so each distinct
/// agent is stored once, under the hash of its JSON (`AgentJSONCache`), and a session holds only
/// that reference. The snapshots never change, so a process decodes each one
/// once and keeps it: a turn neither decodes nor re-encodes the agent.
///
/// A snapshot is written in the same transaction as the first session that
/// refers to it, and removed by `sweep` once no session does.
public final class AgentSnapshots: @unchecked Sendable {
    // @unchecked: the two maps are only touched under `lock`.
    let store: RawStore
    private let lock = NSLock()
    private var byReference: [String: Snapshot] = [:]
    private var byAgent: [Agent: Snapshot] = [:]

    /// More agents than a host serves at once; past it the maps start again.
    static let cacheLimit = 512

    struct Snapshot {
        let reference: String
        let agent: Agent
        let json: [UInt8]
    }

    init(store: RawStore) {
        self.store = store
    }

    /// The snapshot of `agent`: its reference and the bytes to store under it.
    /// `probably`: a reference it likely has (the one its session was read
    /// with), checked first: comparing with the agent decoded from it is
    /// quick, its strings being shared, where hashing reads every byte.
    func snapshot(of agent: Agent, probably reference: String? = nil) throws -> Snapshot {
        if let reference, let known = lock.withLock({ byReference[reference] }), known.agent == agent { return known }
        if let known = lock.withLock({ byAgent[agent] }) { return known }
        let json = try AgentJSONCache.shared.json(for: agent)
        let snapshot = Snapshot(reference: Hex.encode(SHA256.hash(json).prefix(16)), agent: agent, json: json)
        remember(snapshot)
        return snapshot
    }

    /// Stores `snapshot` unless it is there already (a sweep may have removed
    /// it since this process last wrote it).
    func store(_ snapshot: Snapshot, in txn: Transaction) throws {
        if try !txn.contains(store, snapshot.reference) {
            try txn.put(store, snapshot.reference, bytes: snapshot.json)
        }
    }

    /// The agent a stored reference stands for; nil when this process has not
    /// decoded it yet (read `json(for:in:)` and `decode`).
    func cachedAgent(_ reference: String) -> Agent? {
        lock.withLock { byReference[reference]?.agent }
    }

    func json(for reference: String, in txn: Transaction) throws -> [UInt8] {
        guard let json = try txn.bytes(store, reference) else {
            throw SessionDBError.decoding(database: store.name, key: reference, reason: "no agent snapshot under this reference")
        }
        return json
    }

    /// Decodes a stored snapshot and keeps it for the next time.
    func decode(_ json: [UInt8], reference: String) throws -> Agent {
        do {
            let agent = try AgentJSONCache.shared.agent(from: json)
            remember(Snapshot(reference: reference, agent: agent, json: json))
            return agent
        } catch {
            throw SessionDBError.decoding(database: store.name, key: reference, reason: "\(error)")
        }
    }

    /// Removes the snapshots no session refers to, in `txn` (a write).
    func sweep(keeping referenced: Set<String>, in txn: Transaction) throws -> Int {
        var removed = 0
        for reference in try txn.keys(store) where !referenced.contains(reference) {
            try txn.delete(store, reference)
            removed += 1
        }
        return removed
    }

    private func remember(_ snapshot: Snapshot) {
        lock.withLock {
            if byReference.count >= Self.cacheLimit {
                byReference.removeAll(keepingCapacity: true)
                byAgent.removeAll(keepingCapacity: true)
            }
            byReference[snapshot.reference] = snapshot
            byAgent[snapshot.agent] = snapshot
        }
    }
}
