import AWS
import Testing
import Voice
@testable import VoiceService

/// The transcript and collected data a sync or finalization writes are built
/// directly; they must stay what `DynamoDBEncoder` makes of the same values,
/// or records written before and after would differ.
@Suite struct TranscriptAttributeTests {
    let encoder = DynamoDBEncoder()

    func record(_ messages: [ConversationMessage], data: [String: String]) -> CallRecord {
        CallRecord(callSid: "CA1", agentId: "sales-001", recipientPhone: "+15550001111", callerPhone: "+15550002222",
                   direction: .outbound, status: .completed, startedAt: Timestamp(millisecondsSince1970: 0),
                   conversationHistory: messages, dataCollected: data)
    }

    @Test(arguments: [
        [],
        [ConversationMessage(role: .assistant, content: "Hello! How can I help?", timestamp: Timestamp(millisecondsSince1970: 1_700_000_000_123))],
        [ConversationMessage(role: .user, content: "café, naïve \"quotes\" & <tags>", timestamp: Timestamp(millisecondsSince1970: 1),
                             confidence: 0.91234567),
         ConversationMessage(role: .user, content: "", timestamp: Timestamp(millisecondsSince1970: 2), confidence: 1),
         ConversationMessage(role: .system, content: "transfer", timestamp: Timestamp(millisecondsSince1970: 3), confidence: 0)],
    ])
    func matchesTheCodableEncoding(messages: [ConversationMessage]) throws {
        for data in [[:], ["email": "a@b.c", "name": "Ana Lopez"]] {
            let direct = try encoder.transcriptAndData(of: record(messages, data: data))
            #expect(direct.history == (try encoder.encodeValue(messages)))
            #expect(direct.data == (try encoder.encodeValue(data)))
        }
    }

    @Test func aConfidenceDynamoDBCannotHoldIsStillRefused() {
        let messages = [ConversationMessage(role: .user, content: "x", timestamp: Timestamp(millisecondsSince1970: 1), confidence: .nan)]
        #expect(ConversationMessage.transcriptAttribute(messages) == nil)
        #expect(throws: (any Error).self) { try encoder.transcriptAndData(of: record(messages, data: [:])) }
    }
}
