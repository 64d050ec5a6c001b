/// A call's status: Twilio's `CallStatus` values, plus `abandoned` for calls
/// whose final status never arrived and which the worker closed after a timeout.
public enum CallStatus: String, Codable, Sendable, CaseIterable {
    /// Twilio's status right after the REST create; kept so that its answer decodes.
    case queued
    case initiated
    case ringing
    case inProgress = "in-progress"
    case completed
    case failed
    case busy
    case noAnswer = "no-answer"
    case canceled
    case abandoned

    /// Whether the call is over: Twilio sends nothing more after one of these.
    public var isFinal: Bool {
        switch self {
        case .completed, .failed, .busy, .noAnswer, .canceled, .abandoned: true
        case .queued, .initiated, .ringing, .inProgress: false
        }
    }
}

/// Who or what ended a call (`ended_by`).
public enum EndedBy: String, Codable, Sendable, CaseIterable {
    /// The caller said goodbye or hung up.
    case user
    /// The agent closed the call after collecting what it needed.
    case systemComplete = "system_complete"
    /// The caller went silent, or the call hit its turn limit, or it was abandoned.
    case systemTimeout = "system_timeout"
    /// The call could not go on because something failed.
    case error
    /// The call ended without the engine knowing why (e.g. Twilio reported
    /// `completed` while the agent was still waiting for an answer).
    case unknown
}

/// Which way a call went.
public enum CallDirection: String, Codable, Sendable, CaseIterable {
    /// Someone called one of our numbers.
    case inbound
    /// We dialled someone through `/make-call`.
    case outbound

    /// Reads Twilio's `Direction` parameter (`inbound`, `outbound-api`, `outbound-dial`).
    public init?(twilio value: String) {
        if value == "inbound" {
            self = .inbound
        } else if value.hasPrefix("outbound") {
            self = .outbound
        } else {
            return nil
        }
    }
}

extension EndedBy {
    /// Why a call ended, once its final status is known: what the engine
    /// recorded when the agent closed the call itself, otherwise what the status
    /// implies. `completed` without a close by the agent means the caller hung
    /// up (`user`); `failed` is an `error`; an `abandoned` session timed out
    /// (`system_timeout`); `busy`, `no-answer` and `canceled` calls never had a
    /// conversation to end (`unknown`).
    public static func resolved(engine: EndedBy?, finalStatus: CallStatus) -> EndedBy {
        if let engine { return engine }
        switch finalStatus {
        case .completed: return .user
        case .failed: return .error
        case .abandoned: return .systemTimeout
        case .busy, .noAnswer, .canceled, .queued, .initiated, .ringing, .inProgress: return .unknown
        }
    }
}
