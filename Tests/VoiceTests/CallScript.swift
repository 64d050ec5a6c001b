import Foundation
import Voice

/// Drives the rule engine through a call the way the handlers will: each turn
/// passes the key the previous answer put in its `<Gather action>`.
struct CallScript {
    var engine: RuleEngine
    var session: Session
    var now: Date
    var timeZone: TimeZone
    var outcomes: [TurnOutcome] = []

    init(
        agent: Agent, configuration: RuleEngine.Configuration = .init(), pastCalls: [PastCall] = [],
        timeZone: TimeZone = TimeZone(identifier: "America/New_York")!
    ) {
        engine = RuleEngine(configuration: configuration)
        now = Date(timeIntervalSince1970: 1_747_143_600)  // 2025-05-13T13:40:00Z, a Tuesday
        session = Session(
            callSid: "CA00000000000000000000000000000001", agent: agent, direction: .outbound,
            recipientPhone: "+15550100199", callerPhone: "+15550100123", pastCalls: pastCalls,
            startedAt: Timestamp(now))
        self.timeZone = timeZone
    }

    @discardableResult
    mutating func start() -> TurnOutcome {
        let outcome = engine.start(session, now: now)
        session = outcome.session
        outcomes.append(outcome)
        return outcome
    }

    /// One caller turn; nil speech is a silent turn.
    @discardableResult
    mutating func say(_ speech: String?, confidence: Double? = 0.93) -> TurnOutcome {
        now += 4
        let input = TurnInput(
            speech: speech, confidence: confidence, now: now, timeZone: timeZone, turnKey: session.nextTurnKey)
        let outcome = engine.respond(to: input, in: session)
        session = outcome.session
        outcomes.append(outcome)
        return outcome
    }
}
