import AWS
import Common
import Foundation
import Voice

extension VoiceRuntime {
    /// The longest window one report covers.
    static let analyticsMaximumDays = 92
    /// The most calls one report reads; past it the report says it is incomplete.
    static let analyticsMaximumCalls = 50_000

    /// Figures per agent and day over the call history.
    public static var analyticsRoutes: Router<VoiceRuntime> {
        var routes = Router<VoiceRuntime>()
        routes.on("GET", "/analytics", access: .operatorKey) { call, voice in try voice.analytics(call) }
        return routes
    }

    private func analytics(_ call: Router<VoiceRuntime>.Call) throws -> Response {
        let query = try call.request.queryItems()
        var filter = CallFilter()
        if let agent = query["agent_id"] {
            guard AgentValidation.isAgentId(agent) else {
                throw HTTPError.badRequest("agent_id must be 1 to 64 letters, digits, '-' or '_'")
            }
            filter.agentId = agent
        }
        let window = try TimeWindow(since: query["since"], until: query["until"])
        let (since, until) = Self.analyticsWindow(window, now: Date())
        guard since <= until else { throw HTTPError.badRequest("since must not be after until (today, when not given)") }
        guard (until.millisecondsSince1970 - since.millisecondsSince1970) / TimeWindow.millisecondsPerDay
                < Int64(Self.analyticsMaximumDays) else {
            throw HTTPError.badRequest("the window from since to until may cover at most \(Self.analyticsMaximumDays) days")
        }
        filter.since = since
        filter.until = until
        let options = aws(call.context)
        let history = try history()
        let read = try readingHistory {
            try history.all(filter, projection: CallFacts.attributes, maximum: Self.analyticsMaximumCalls, options: options)
        }
        let facts = read.items.compactMap(CallFacts.init(item:))
        var required: [String: Set<String>] = [:]
        for agentId in Set(facts.map(\.agentId)) {
            if case .found(let agent, _) = agents.agent(agentId, options: options) {
                required[agentId] = Set(agent.dataToFill.filter(\.required).map(\.name))
            }
        }
        return try .json(CallAnalytics(facts: facts, since: String(since.description.prefix(10)),
                                       until: String(until.description.prefix(10)), complete: read.complete,
                                       requiredFields: required))
    }

    /// The window asked for, or the last seven days through today (UTC).
    static func analyticsWindow(_ window: TimeWindow, now: Date) -> (since: Timestamp, until: Timestamp) {
        let day = TimeWindow.millisecondsPerDay
        let today = Timestamp(now).millisecondsSince1970 / day * day
        let until = window.until ?? Timestamp(millisecondsSince1970: today + day - 1)
        let since = window.since ?? Timestamp(millisecondsSince1970: until.millisecondsSince1970 / day * day - 6 * day)
        return (since, until)
    }
}
