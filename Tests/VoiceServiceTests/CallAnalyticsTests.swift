import Foundation
import Testing
import Voice
@testable import VoiceService

@Suite("Call analytics")
struct CallAnalyticsTests {
    private func call(_ agent: String = "a", day: String = "2026-11-20", status: String = "completed",
                      duration: Double? = nil, endedBy: String? = nil, answeredBy: String? = nil,
                      fields: Set<String> = []) -> CallFacts {
        CallFacts(agentId: agent, status: status, startedAt: day + "T10:00:00.000Z", durationSeconds: duration,
                  endedBy: endedBy, answeredBy: answeredBy, collectedFields: fields)
    }

    @Test("p90 is the nearest rank, the mean one decimal")
    func durations() {
        let calls = (1...10).map { call(duration: Double($0 * 10)) } + [call(status: "no-answer")]
        let report = CallAnalytics(facts: calls, since: "", until: "", complete: true, requiredFields: [:])
        let totals = report.agents[0].totals
        #expect(totals.calls == 11)
        #expect(totals.completed == 10)
        #expect(totals.duration.mean == 55)
        #expect(totals.duration.p90 == 90)
        let one = CallAnalytics(facts: [call(duration: 7)], since: "", until: "", complete: true, requiredFields: [:])
        #expect(one.agents[0].totals.duration.p90 == 7)
    }

    @Test("Agents sorted, days ascending, calls filed under their UTC day")
    func grouping() {
        let calls = [call("b", day: "2026-11-21"), call("a", day: "2026-11-21"), call("a", day: "2026-11-19")]
        let report = CallAnalytics(facts: calls, since: "", until: "", complete: true, requiredFields: [:])
        #expect(report.agents.map(\.agentId) == ["a", "b"])
        #expect(report.agents[0].days.map(\.date) == ["2026-11-19", "2026-11-21"])
        #expect(report.agents[0].days.map(\.figures.calls) == [1, 1])
    }

    @Test("The required share counts calls with every required field; unknown without required fields")
    func requiredShare() {
        let calls = [call(fields: ["name", "email"]), call(fields: ["name"]), call(fields: ["name", "email", "x"]),
                     call(status: "busy")]
        let known = CallAnalytics(facts: calls, since: "", until: "", complete: true,
                                  requiredFields: ["a": ["name", "email"]])
        #expect(known.agents[0].totals.allRequiredCollected == 0.5)
        let none = CallAnalytics(facts: calls, since: "", until: "", complete: true, requiredFields: ["a": []])
        #expect(none.agents[0].totals.allRequiredCollected == nil)
        let unknown = CallAnalytics(facts: calls, since: "", until: "", complete: true, requiredFields: [:])
        #expect(unknown.agents[0].totals.allRequiredCollected == nil)
    }

    @Test("Machines and endings are counted; a missing ending is unknown")
    func endings() {
        let calls = [call(endedBy: "user", answeredBy: "machine_start"), call(endedBy: "user", answeredBy: "human"),
                     call(answeredBy: "machine_end_beep")]
        let totals = CallAnalytics(facts: calls, since: "", until: "", complete: true, requiredFields: [:]).agents[0].totals
        #expect(totals.answeredByMachine == 2)
        #expect(totals.endedBy == ["user": 2, "unknown": 1])
    }

    @Test("Every figure is in the JSON, null when unknown")
    func encoding() throws {
        let report = CallAnalytics(facts: [call(status: "failed")], since: "2026-11-20", until: "2026-11-20",
                                   complete: true, requiredFields: [:])
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any]
        let agent = (json?["agents"] as? [[String: Any]])?.first
        let day = (agent?["days"] as? [[String: Any]])?.first
        #expect(day?["date"] as? String == "2026-11-20")
        #expect(day?["all_required_collected"] is NSNull)
        #expect((day?["duration_seconds"] as? [String: Any])?["p90"] is NSNull)
    }

    @Test("The default window is the last seven days through today")
    func defaultWindow() throws {
        let now = Timestamp(iso8601: "2026-11-29T15:30:00Z")!.date
        let (since, until) = VoiceRuntime.analyticsWindow(try TimeWindow(since: nil, until: nil), now: now)
        #expect(since.description == "2026-11-23T00:00:00.000Z")
        #expect(until.description == "2026-11-29T23:59:59.999Z")
        let dated = try TimeWindow(since: "2026-11-01", until: "2026-11-02")
        #expect(dated.until?.description == "2026-11-02T23:59:59.999Z")
        #expect(throws: (any Error).self) { try TimeWindow(since: "2026-11-03", until: "2026-11-02") }
    }
}
