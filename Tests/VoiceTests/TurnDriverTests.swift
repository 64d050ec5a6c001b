import Foundation
import Testing
import Voice

/// An engine that only echoes, so the tests see what the driver does for any engine.
private struct EchoEngine: ConversationEngine {
    func greet(_ session: Session, now: Date) -> TurnOutcome {
        guard session.phase == .notStarted else {
            return TurnOutcome(session: session, reply: "hello again", action: .gather, isReplay: true)
        }
        var session = session
        session.phase = .wrappingUp
        session.append(.assistant, "hello", at: Timestamp(now))
        session.version += 1
        return TurnOutcome(session: session, reply: "hello", action: .gather)
    }

    func converse(_ input: TurnInput, in session: Session) -> EngineReply {
        var session = session
        let words = input.speech ?? ""
        session.append(.user, words, at: Timestamp(input.now))
        if words == "bye" { return EngineReply(session: session, lead: ["bye then"], endedBy: .user) }
        return EngineReply(session: session, lead: ["you said \(words)"], question: "anything else?")
    }
}

@Suite("The turn driver, around any engine")
struct TurnDriverTests {
    let start = Date(timeIntervalSince1970: 1_747_143_600)

    func newSession() -> Session {
        Session(callSid: "CA1", agent: SeedAgents.agent(id: "default")!, direction: .inbound,
                recipientPhone: "+15550100199", callerPhone: "+15550100123", startedAt: Timestamp(start))
    }

    func input(_ speech: String, key: String?, at seconds: Double) -> TurnInput {
        TurnInput(speech: speech, now: start + seconds, timeZone: .gmt, turnKey: key)
    }

    @Test func countsTurnsAppendsTheReplyAndAnswersARetryAsBefore() {
        let driver = TurnDriver(engine: EchoEngine(), configuration: .init(syncFrequency: 100, maxTurns: 10))
        let opening = driver.start(newSession(), now: start)
        #expect(opening.reply == "hello")
        let turn = driver.respond(to: input("hi", key: "1", at: 4), in: opening.session)
        #expect(turn.reply == "you said hi anything else?")
        #expect(turn.session.turnCount == 1)
        #expect(turn.session.version == opening.session.version + 1)
        #expect(turn.session.transcript.map(\.content) == ["hello", "hi", "you said hi anything else?"])
        let retry = driver.respond(to: input("hi again", key: "1", at: 5), in: turn.session)
        #expect(retry.isReplay && retry.reply == turn.reply && retry.session == turn.session)
    }

    @Test func closesTheCallAtTheTurnLimitWithoutTheEnginesQuestion() {
        let driver = TurnDriver(engine: EchoEngine(), configuration: .init(syncFrequency: 100, maxTurns: 2))
        var session = driver.start(newSession(), now: start).session
        session = driver.respond(to: input("one", key: "1", at: 4), in: session).session
        let last = driver.respond(to: input("two", key: "2", at: 8), in: session)
        // The echo engine collects nothing: the default agent's required fields are missing.
        #expect(last.action == .hangUp(.systemTimeout))
        #expect(last.reply.hasPrefix("you said two ") && !last.reply.contains("anything else?"))
        #expect(last.session.isEnded)
        #expect(last.jobs == [.syncTranscript], "an ending call syncs at once")
        let after = driver.respond(to: input("hello?", key: "3", at: 12), in: last.session)
        #expect(after.isReplay && after.action == .hangUp(.systemTimeout))
    }

    @Test func asksForASyncEverySyncFrequencyLines() {
        let driver = TurnDriver(engine: EchoEngine(), configuration: .init(syncFrequency: 3, maxTurns: 30))
        var outcome = driver.start(newSession(), now: start)
        var synced: [Int] = outcome.jobs.isEmpty ? [] : [0]
        for turn in 1...5 {
            outcome = driver.respond(to: input("line \(turn)", key: "\(turn)", at: Double(turn) * 4), in: outcome.session)
            if outcome.jobs.contains(.syncTranscript) { synced.append(turn) }
        }
        // 1 line after the greeting, then 2 a turn: 3 lines at turn 1, then 4 at turns 3 and 5.
        #expect(synced == [1, 3, 5])
        let bye = driver.respond(to: input("bye", key: "6", at: 40), in: outcome.session)
        #expect(bye.action == .hangUp(.user) && bye.jobs == [.syncTranscript])
    }
}
