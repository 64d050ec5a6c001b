import Common
import Foundation
import SessionDB
import Voice
@testable import VoiceService

/// A SessionDB with the stack's layout in a fresh temporary directory, removed
/// when the value is released.
final class TemporarySessions {
    let directory: String
    let database: SessionDB
    let sessions: SessionStore

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("voice-\(UUID().uuidString)").path
        database = try SessionDB(options: SessionDBOptions(directory: directory, mapSizeBytes: 64 << 20),
                                 databases: SessionDBLayout.databases)
        sessions = try SessionStore(database: database)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A call answered at `startedAt` (seconds since 1970) whose last activity was then.
    @discardableResult
    func answer(_ callSid: String, at startedAt: Double) throws -> Session {
        let session = Session(callSid: callSid, agent: SeedAgents.agent(id: SeedAgents.defaultAgentId)!,
                              direction: .outbound, recipientPhone: "+15550100123", callerPhone: "+15550100999",
                              startedAt: Timestamp(Date(timeIntervalSince1970: startedAt)))
        try sessions.update(callSid) { current, _ in current = session }
        return session
    }

    /// The jobs waiting in the outbox, soonest due first.
    var jobs: [OutboxJob] {
        get throws { try sessions.outbox.all(in: database) }
    }
}
