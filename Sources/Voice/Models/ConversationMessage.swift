/// Who said a line of the transcript.
public enum MessageRole: String, Codable, Sendable, CaseIterable {
    case user, assistant, system
}

/// One line of a call's transcript (`conversation_history` items).
public struct ConversationMessage: Codable, Sendable, Hashable {
    public var role: MessageRole
    public var content: String
    public var timestamp: Timestamp
    /// The speech recogniser's confidence (0…1) for a caller's line, when Twilio gave one.
    public var confidence: Double?

    public init(role: MessageRole, content: String, timestamp: Timestamp, confidence: Double? = nil) {
        self.role = role
        self.content = content
        self.timestamp = timestamp
        self.confidence = confidence
    }
}
