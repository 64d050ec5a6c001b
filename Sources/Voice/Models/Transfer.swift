/// A caller's transfer to a person (`<Dial>` to the agent's `transfer_number`).
public struct Transfer: Codable, Sendable, Hashable {
    public enum State: String, Codable, Sendable {
        /// Twilio is ringing the number.
        case dialing
        /// Someone took the call; the agent's part is over.
        case connected
        /// Nobody did: the agent came back and offered to take a message.
        case unanswered
    }

    public var number: String
    public var state: State
    /// Twilio's `DialCallStatus` once the `<Dial>` ended (`completed`, `no-answer`, `busy`…).
    public var dialStatus: String?

    public init(number: String, state: State = .dialing, dialStatus: String? = nil) {
        self.number = number
        self.state = state
        self.dialStatus = dialStatus
    }

    enum CodingKeys: String, CodingKey {
        case number, state
        case dialStatus = "dial_status"
    }
}
