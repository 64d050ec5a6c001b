import Common
import Foundation
import SessionDB
import Testing
import Voice
@testable import VoiceService

@Suite("Session storage")
struct SessionStorageTests {
    /// A session with every field away from its initial value.
    static func everyFieldSet(_ callSid: String = "CA" + String(repeating: "1", count: 32),
                              agent: Agent = SeedAgents.customerSupport) -> Session {
        let started = Timestamp(millisecondsSince1970: 1_800_000_000_123)
        let past = PastCall(callSid: "CA" + String(repeating: "2", count: 32), startedAt: started, status: .completed,
                            endedBy: .systemComplete, durationSeconds: 95,
                            dataCollected: ["customer_name": "Asha Rao", "email": "asha@example.com"],
                            summary: "customer_name: Asha Rao; email: asha@example.com")
        var session = Session(callSid: callSid, agent: agent, direction: .inbound, recipientPhone: "+15550100123",
                              callerPhone: "+15550100999", pastCalls: [past], startedAt: started,
                              answeredBy: "human")
        session.append(.assistant, "Hello! How can I help?", at: started)
        session.append(.user, "मेरा नाम आशा है, “quotes” & <tags>", at: Timestamp(millisecondsSince1970: 1_800_000_001_500),
                       confidence: 0.87)
        session.append(.system, "", at: started)
        session.dataCollected = ["customer_name": "Asha Rao", "issue": "router"]
        session.skippedFields = ["phone"]
        session.phase = .wrappingUp
        session.currentField = "email"
        session.fieldAttempts = 2
        session.pendingConfirmation = PendingConfirmation(subject: .fieldValue, field: "email", value: "a@b.co")
        session.noInputStrikes = 1
        session.lowConfidenceStrikes = 2
        session.turnCount = 7
        session.messagesSinceSync = 3
        session.version = 41
        session.lastActivityAt = Timestamp(millisecondsSince1970: 1_800_000_099_999)
        session.endedBy = .systemTimeout
        session.lastTurn = TurnMemo(key: "40", reply: "Goodbye.", endedBy: .user)
        session.finalStatus = .noAnswer
        session.outcome = "transfer_unanswered"
        session.transfer = Transfer(number: "+15550100777", state: .unanswered, dialStatus: "no-answer")
        return session
    }

    @Test("A session with every field set reads back equal, in this process and in a new one")
    func roundTrip() throws {
        let store = try TemporarySessions()
        let session = Self.everyFieldSet()
        #expect(try store.sessions.commit(session.callSid, replacing: nil, with: session, jobs: []))
        #expect(try store.sessions.session(session.callSid) == session)
        // Another process has none of this one's decoded agents.
        let elsewhere = try SessionStore(database: store.database)
        #expect(try elsewhere.session(session.callSid) == session)
        #expect(try elsewhere.all() == [session])
    }

    @Test("The codec covers every stored property of Session")
    func everyPropertyIsEncoded() {
        // A property added to Session must be written by SessionCodec.encode,
        // read by decode, set in everyFieldSet, and take a new format byte.
        #expect(Mirror(reflecting: Self.everyFieldSet()).children.count == 26)
    }

    @Test("A session stored as JSON by an earlier version is read, and written back compact")
    func readsTheEarlierJSONForm() throws {
        let store = try TemporarySessions()
        let session = Self.everyFieldSet()
        let raw = try store.database.rawStore(SessionDBLayout.sessions)
        try store.database.write { txn in
            try txn.put(raw, session.callSid, bytes: [UInt8](try JSONEncoder().encode(session)))
        }
        let snapshot = try #require(try store.sessions.snapshot(session.callSid))
        #expect(snapshot.session == session)
        var next = session
        next.version += 1
        #expect(try store.sessions.commit(session.callSid, replacing: snapshot, with: next, jobs: []))
        let stored = try #require(try store.database.read { txn in try txn.bytes(raw, session.callSid) })
        #expect(stored.first == SessionCodec.format)
        #expect(try store.sessions.session(session.callSid) == next)
    }

    @Test("Sessions share one snapshot per distinct agent; a call keeps the agent it was answered with")
    func agentSnapshots() throws {
        let store = try TemporarySessions()
        let snapshots = try store.database.rawStore(SessionDBLayout.agentSnapshots)
        var edited = SeedAgents.customerSupport
        edited.greeting = "Hi, this is the new greeting."
        let first = Self.everyFieldSet("CA" + String(repeating: "a", count: 32))
        let second = Self.everyFieldSet("CA" + String(repeating: "b", count: 32))
        let third = Self.everyFieldSet("CA" + String(repeating: "c", count: 32), agent: edited)
        for session in [first, second, third] {
            #expect(try store.sessions.commit(session.callSid, replacing: nil, with: session, jobs: []))
        }
        #expect(try store.database.read { txn in try txn.count(snapshots) } == 2)
        #expect(try store.sessions.session(first.callSid)?.agent.greeting == SeedAgents.customerSupport.greeting)
        #expect(try store.sessions.session(third.callSid)?.agent.greeting == edited.greeting)
        // A stored session is far smaller than its JSON, agent included.
        let raw = try store.database.rawStore(SessionDBLayout.sessions)
        let size = try #require(try store.database.read { txn in try txn.bytes(raw, first.callSid) }).count
        #expect(size * 3 < (try JSONEncoder().encode(first)).count)
    }

    @Test("The sweep removes only the snapshots no session refers to, and a later write stores its own again")
    func sweep() throws {
        let store = try TemporarySessions()
        let snapshots = try store.database.rawStore(SessionDBLayout.agentSnapshots)
        var edited = SeedAgents.customerSupport
        edited.prompt += " Be brief."
        let kept = Self.everyFieldSet("CA" + String(repeating: "a", count: 32))
        let ended = Self.everyFieldSet("CA" + String(repeating: "b", count: 32), agent: edited)
        for session in [kept, ended] {
            #expect(try store.sessions.commit(session.callSid, replacing: nil, with: session, jobs: []))
        }
        #expect(try store.sessions.sweepAgentSnapshots() == 0)
        let base = try store.sessions.snapshot(ended.callSid)
        #expect(try store.sessions.commit(ended.callSid, replacing: base, with: nil, jobs: []))
        #expect(try store.sessions.sweepAgentSnapshots() == 1)
        #expect(try store.database.read { txn in try txn.count(snapshots) } == 1)
        #expect(try SessionStore(database: store.database).session(kept.callSid) == kept)

        // This process still knows the edited agent; a new call with it must
        // not refer to the snapshot the sweep removed without storing it again.
        let again = Self.everyFieldSet("CA" + String(repeating: "c", count: 32), agent: edited)
        #expect(try store.sessions.commit(again.callSid, replacing: nil, with: again, jobs: []))
        #expect(try SessionStore(database: store.database).session(again.callSid) == again)
        try store.sessions.update("CA" + String(repeating: "d", count: 32)) { session, _ in
            session = Self.everyFieldSet("CA" + String(repeating: "d", count: 32), agent: SeedAgents.sales)
        }
        #expect(try SessionStore(database: store.database).session("CA" + String(repeating: "d", count: 32))?.agent
            == SeedAgents.sales)
    }

    @Test("Damaged bytes are a decoding error naming the call, never a crash")
    func damagedBytes() throws {
        let store = try TemporarySessions()
        let session = Self.everyFieldSet()
        #expect(try store.sessions.commit(session.callSid, replacing: nil, with: session, jobs: []))
        let raw = try store.database.rawStore(SessionDBLayout.sessions)
        let stored = try #require(try store.database.read { txn in try txn.bytes(raw, session.callSid) })
        for damaged in [Array(stored.prefix(stored.count - 1)), stored + [0], [0x07] + stored.dropFirst(),
                        Array(stored.prefix(20))] {
            try store.database.write { txn in try txn.put(raw, session.callSid, bytes: damaged) }
            #expect {
                _ = try store.sessions.session(session.callSid)
            } throws: { error in
                guard case SessionDBError.decoding(_, let key, _) = error else { return false }
                return key == session.callSid
            }
        }
    }
}
