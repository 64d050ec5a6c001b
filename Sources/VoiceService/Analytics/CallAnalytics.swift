/// Per agent and day: how many calls, how they ended, how long they took and
/// whether they got what the agent is for. Pure: the facts come in, the report
/// goes out.
public struct CallAnalytics: Sendable, Encodable {
    /// The figures of a set of calls.
    public struct Figures: Sendable, Encodable, Equatable {
        public var calls = 0
        public var completed = 0
        public var answeredByMachine = 0
        public var voicemailLeft = 0
        public var duration: DurationFigures
        public var endedBy: [String: Int] = [:]
        /// The share of calls with every required field collected; nil when the
        /// agent asks for none or is unknown.
        public var allRequiredCollected: Double?

        enum CodingKeys: String, CodingKey {
            case calls, completed
            case answeredByMachine = "answered_by_machine"
            case voicemailLeft = "voicemail_left"
            case duration = "duration_seconds"
            case endedBy = "ended_by"
            case allRequiredCollected = "all_required_collected"
        }

        /// Keys with null values are written, so every figure is always there.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(calls, forKey: .calls)
            try container.encode(completed, forKey: .completed)
            try container.encode(answeredByMachine, forKey: .answeredByMachine)
            try container.encode(voicemailLeft, forKey: .voicemailLeft)
            try container.encode(duration, forKey: .duration)
            try container.encode(endedBy, forKey: .endedBy)
            try container.encode(allRequiredCollected, forKey: .allRequiredCollected)
        }

        init(_ calls: [CallFacts], required: Set<String>?) {
            self.calls = calls.count
            completed = calls.filter { $0.status == "completed" }.count
            answeredByMachine = calls.filter(\.answeredByMachine).count
            voicemailLeft = calls.filter { $0.outcome == "voicemail_left" }.count
            duration = DurationFigures(calls.compactMap(\.durationSeconds))
            for call in calls { endedBy[call.endedBy ?? "unknown", default: 0] += 1 }
            if let required, !required.isEmpty, !calls.isEmpty {
                let complete = calls.filter { required.isSubset(of: $0.collectedFields) }.count
                allRequiredCollected = Double(complete) / Double(calls.count)
            }
        }
    }

    /// Mean and 90th percentile (nearest rank) of the calls that have a duration.
    public struct DurationFigures: Sendable, Encodable, Equatable {
        public var mean: Double?
        public var p90: Double?

        init(_ values: [Double]) {
            guard !values.isEmpty else { return }
            let sorted = values.sorted()
            mean = (sorted.reduce(0, +) / Double(sorted.count) * 10).rounded() / 10
            let rank = Int((0.9 * Double(sorted.count)).rounded(.up))
            p90 = sorted[max(0, rank - 1)]
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(mean, forKey: .mean)
            try container.encode(p90, forKey: .p90)
        }

        enum CodingKeys: String, CodingKey { case mean, p90 }
    }

    public struct Day: Sendable, Encodable, Equatable {
        public var date: String
        public var figures: Figures

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: DateKey.self)
            try container.encode(date, forKey: .date)
            try figures.encode(to: encoder)
        }

        enum DateKey: String, CodingKey { case date }
    }

    public struct AgentReport: Sendable, Encodable, Equatable {
        public var agentId: String
        public var totals: Figures
        public var days: [Day]

        enum CodingKeys: String, CodingKey {
            case agentId = "agent_id"
            case totals, days
        }
    }

    public var since: String
    public var until: String
    /// False when the window held more calls than one report reads.
    public var complete: Bool
    public var agents: [AgentReport]

    /// `requiredFields` maps an agent to the fields it must collect; an agent
    /// missing from it has an unknown share.
    public init(facts: [CallFacts], since: String, until: String, complete: Bool,
                requiredFields: [String: Set<String>]) {
        self.since = since
        self.until = until
        self.complete = complete
        agents = Dictionary(grouping: facts, by: \.agentId).sorted { $0.key < $1.key }.map { agentId, calls in
            let required = requiredFields[agentId]
            let days = Dictionary(grouping: calls, by: \.day).sorted { $0.key < $1.key }.map { day, calls in
                Day(date: day, figures: Figures(calls, required: required))
            }
            return AgentReport(agentId: agentId, totals: Figures(calls, required: required), days: days)
        }
    }
}
