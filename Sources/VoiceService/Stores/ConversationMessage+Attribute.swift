import AWS
import Voice

extension ConversationMessage {
    /// The transcript as DynamoDB stores it, built directly: what
    /// `DynamoDBEncoder` makes of it (a test holds the two equal), without its
    /// Codable tree of boxed containers, since every sync and finalization
    /// writes every line of the call. nil when a confidence is not finite,
    /// which DynamoDB cannot hold (the encoder then says so).
    static func transcriptAttribute(_ messages: [ConversationMessage]) -> AttributeValue? {
        var lines: [AttributeValue] = []
        lines.reserveCapacity(messages.count)
        for message in messages {
            var line: [String: AttributeValue] = [
                "role": .string(message.role.rawValue),
                "content": .string(message.content),
                "timestamp": .string(message.timestamp.description),
            ]
            if let confidence = message.confidence {
                guard confidence.isFinite else { return nil }
                line["confidence"] = .double(confidence)
            }
            lines.append(.map(line))
        }
        return .list(lines)
    }
}

extension DynamoDBEncoder {
    /// `conversation_history` and `data_collected` of a call record.
    func transcriptAndData(of record: CallRecord) throws -> (history: AttributeValue, data: AttributeValue) {
        let history = try ConversationMessage.transcriptAttribute(record.conversationHistory)
            ?? encodeValue(record.conversationHistory)
        return (history, .map(record.dataCollected.mapValues(AttributeValue.string)))
    }
}
