/// What an LLM made of a finished call (`analysis` on the call record): a
/// short summary, the agent's fields as read from the whole conversation, and
/// whether the call met the agent's `success_criteria`.
public struct CallAnalysis: Codable, Sendable, Hashable {
    /// Two or three sentences; the next call with this person is told it.
    public var summary: String
    /// Values of the agent's `data_to_fill` fields, each passing its validation.
    public var data: [String: String]
    public var success: Bool?
    /// One sentence on why the call did or did not succeed.
    public var successReason: String?
    /// The model that wrote it.
    public var model: String
    public var createdAt: Timestamp

    public init(summary: String, data: [String: String] = [:], success: Bool? = nil, successReason: String? = nil,
                model: String, createdAt: Timestamp) {
        self.summary = summary
        self.data = data
        self.success = success
        self.successReason = successReason
        self.model = model
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case summary, data, success, model
        case successReason = "success_reason"
        case createdAt = "created_at"
    }
}
