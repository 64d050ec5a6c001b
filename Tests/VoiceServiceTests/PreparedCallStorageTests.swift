import Common
import Foundation
import SessionDB
import Testing
import Voice
@testable import VoiceService

@Suite("Prepared call storage")
struct PreparedCallStorageTests {
    private static let past = SessionStorageTests.everyFieldSet().pastCalls

    @Test("A prepared call reads back equal in every state make-call leaves it in, stored compactly")
    func roundTrip() throws {
        let store = try TemporarySessions()
        let prepared = try PreparedCalls(database: store.database)
        let hindi = SeedAgents.agent(id: "hindi-support-001")!
        let states = [
            PreparedCall(agent: SeedAgents.customerSupport, recipientPhone: "+15550100123"),
            PreparedCall(agent: SeedAgents.customerSupport, recipientPhone: "+15550100123", pastCalls: []),
            PreparedCall(agent: hindi, recipientPhone: "+915550100123", pastCalls: Self.past,
                         callSid: "CA" + String(repeating: "3", count: 32)),
        ]
        for (index, state) in states.enumerated() {
            try prepared.put("p\(index)", state, now: 1_800_000_000)
            #expect(try prepared.get("p\(index)", now: 1_800_000_001) == state)
        }
        let raw = try store.database.rawStore(SessionDBLayout.preparedCalls)
        #expect(try store.database.read { try $0.bytes(raw, "p2") }?.first == 0xC1)
        // A property added to PreparedCall must be written by its compact codec.
        #expect(Mirror(reflecting: states[2]).children.count == 4)
    }

    @Test("make-call's change is applied to an entry that still exists, and an expired entry is not read")
    func updateAndExpiry() throws {
        let store = try TemporarySessions()
        let prepared = try PreparedCalls(database: store.database, ttl: 60)
        let now = Date().timeIntervalSince1970
        try prepared.put("p", PreparedCall(agent: SeedAgents.customerSupport, recipientPhone: "+15550100123"), now: now)
        try prepared.update("p") { $0.pastCalls = Self.past; $0.callSid = "CA1" }
        try prepared.update("gone") { $0.callSid = "CA2" }
        let read = try #require(try prepared.get("p", now: now + 1))
        #expect(read.pastCalls == Self.past && read.callSid == "CA1" && read.agent == SeedAgents.customerSupport)
        #expect(try prepared.get("gone", now: now) == nil)
        #expect(try prepared.get("p", now: now + 61) == nil)
    }

    @Test("An entry stored as JSON by the previous version is still read")
    func previousJSONForm() throws {
        let store = try TemporarySessions()
        let prepared = try PreparedCalls(database: store.database)
        let call = PreparedCall(agent: SeedAgents.customerSupport, recipientPhone: "+15550100123", pastCalls: Self.past)
        let json = try JSONEncoder().encode(ExpiringValue(value: call, storedAt: 1_800_000_000, ttl: 3600))
        let raw = try store.database.rawStore(SessionDBLayout.preparedCalls)
        try store.database.write { try $0.put(raw, "old", bytes: [UInt8](json)) }
        #expect(try prepared.get("old", now: 1_800_000_001) == call)
    }
}
