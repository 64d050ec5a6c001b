import Foundation
import Testing
import Voice

/// Voicemail, transfer, keypad and time limits as the turn driver and the
/// answering-machine rules decide them, over the rule engine.
@Suite("Call features")
struct CallFeaturesTests {
    let start = Date(timeIntervalSince1970: 1_747_143_600)

    func agent(_ change: (inout Agent) -> Void = { _ in }) -> Agent {
        var agent = SeedAgents.agent(id: "customer-support-001")!
        change(&agent)
        return agent
    }

    func session(_ agent: Agent, answeredBy: String? = nil, pastCalls: [PastCall] = []) -> Session {
        Session(callSid: "CA1", agent: agent, direction: .outbound, recipientPhone: "+15550100199",
                callerPhone: "+15550100123", pastCalls: pastCalls, startedAt: Timestamp(start), answeredBy: answeredBy)
    }

    func input(_ speech: String?, digits: String? = nil, at seconds: Double, key: String) -> TurnInput {
        TurnInput(speech: speech, now: start + seconds, timeZone: .gmt, turnKey: key, digits: digits)
    }

    @Test func aMachineGetsTheMessageWithTheNameFromTheLatestPastCallThatHasOne() throws {
        let agent = agent { $0.voicemailMessage = "Hi {name}, {agent_name} here. Call us back." }
        let older = PastCall(callSid: "CA0", startedAt: Timestamp(start - 9000), status: .completed,
                             dataCollected: ["name": "Ann Lee"], summary: "")
        let newer = PastCall(callSid: "CA9", startedAt: Timestamp(start - 100), status: .completed, summary: "")
        let outcome = try #require(AnsweringMachine.opening(
            session(agent, answeredBy: "machine_end_beep", pastCalls: [older, newer]), now: start))
        #expect(outcome.reply == "Hi Ann, \(agent.name) here. Call us back.")
        #expect(outcome.action == .hangUp(.systemComplete))
        #expect(outcome.session.outcome == "voicemail_left" && outcome.session.isEnded)
        #expect(outcome.session.transcript.map(\.content) == [outcome.reply])
    }

    @Test func withoutANameThePlaceholderGoesAndWithoutAMessageNothingIsSaid() throws {
        let template = agent { $0.voicemailMessage = "Hello {name}, please call us back." }
        let noName = try #require(AnsweringMachine.opening(session(template, answeredBy: "machine_end_silence"), now: start))
        #expect(noName.reply == "Hello, please call us back.")
        let silent = try #require(AnsweringMachine.opening(session(agent(), answeredBy: "machine_end_other"), now: start))
        #expect(silent.reply.isEmpty && silent.session.outcome == "machine_no_message")
        let fax = try #require(AnsweringMachine.opening(session(template, answeredBy: "fax"), now: start))
        #expect(fax.reply.isEmpty && fax.session.outcome == "fax")
        #expect(AnsweringMachine.opening(session(template, answeredBy: "human"), now: start) == nil)
        #expect(AnsweringMachine.opening(session(template, answeredBy: "unknown"), now: start) == nil)
    }

    @Test func askingForAPersonTransfersOnlyWithATransferNumber() {
        let driver = TurnDriver(engine: RuleEngine())
        let withDesk = agent { $0.transferNumber = "+15550009000" }
        for words in ["Can I talk to a real person please", "agent", "representative", "I want to speak to someone",
                      "मुझे किसी इंसान से बात करनी है"] {
            let opened = driver.start(session(withDesk), now: start).session
            let turn = driver.respond(to: input(words, at: 3, key: "1"), in: opened)
            #expect(turn.action == .transfer(to: "+15550009000"), "\(words)")
            #expect(turn.session.transfer == Transfer(number: "+15550009000"))
            #expect(turn.session.transcript.last(where: { $0.role == .user })?.content == words)
        }
        for words in ["Are you an agent?", "My name is Agent Smith", "someone called me yesterday"] {
            let opened = driver.start(session(withDesk), now: start).session
            #expect(driver.respond(to: input(words, at: 3, key: "1"), in: opened).action == .gather, "\(words)")
        }
        let opened = driver.start(session(agent()), now: start).session
        #expect(driver.respond(to: input("agent please", at: 3, key: "1"), in: opened).action == .gather)
    }

    @Test func anUnansweredTransferComesBackAndTakesAMessageOnce() {
        let driver = TurnDriver(engine: RuleEngine())
        let opened = driver.start(session(agent { $0.transferNumber = "+15550009000" }), now: start).session
        let dialing = driver.respond(to: input("operator", at: 3, key: "1"), in: opened).session
        let back = driver.dialEnded("no-answer", in: dialing, now: start + 25)
        #expect(back.action == .gather && back.session.transfer?.state == .unanswered)
        #expect(back.session.transfer?.dialStatus == "no-answer" && back.session.outcome == "transfer_unanswered")
        let again = driver.dialEnded("completed", in: back.session, now: start + 26)
        #expect(again.isReplay && again.session == back.session)
        let message = driver.respond(to: input("Call me at noon", at: 30, key: back.session.nextTurnKey), in: back.session)
        #expect(message.action == .hangUp(.systemComplete))
        #expect(message.session.dataCollected["message"] == "Call me at noon")
    }

    @Test func anAnsweredTransferEndsTheAgentsPart() {
        let driver = TurnDriver(engine: RuleEngine())
        let opened = driver.start(session(agent { $0.transferNumber = "+15550009000" }), now: start).session
        let dialing = driver.respond(to: input(nil, digits: "0", at: 3, key: "1"), in: opened).session
        #expect(dialing.transfer == nil)  // no keypad menu: 0 is a typed answer, not a transfer
        let person = driver.respond(to: input("human", at: 4, key: dialing.nextTurnKey), in: dialing).session
        let done = driver.dialEnded("completed", in: person, now: start + 60)
        #expect(done.action == .hangUp(.user) && done.session.outcome == "transferred")
        #expect(done.session.transfer?.state == .connected)
    }

    @Test func theKeypadMenuRepeatsAndSaysGoodbye() {
        let driver = TurnDriver(engine: RuleEngine())
        let keyed = agent { $0.keypad = ["9": .repeat, "0": .goodbye] }
        let opened = driver.start(session(keyed), now: start)
        let repeated = driver.respond(to: input(nil, digits: "9", at: 3, key: "1"), in: opened.session)
        #expect(repeated.reply == opened.reply && repeated.action == .gather)
        let bye = driver.respond(to: input(nil, digits: "0#", at: 5, key: repeated.session.nextTurnKey), in: repeated.session)
        #expect(bye.action == .hangUp(.user))
    }

    @Test func theAgentWrapsUpInTheTurnPastNinetyPercentOfItsTimeLimit() {
        let driver = TurnDriver(engine: RuleEngine())
        let timed = agent { $0.maxDurationSeconds = 100 }
        let opened = driver.start(session(timed), now: start).session
        let early = driver.respond(to: input("My name is John Smith", at: 89, key: "1"), in: opened)
        #expect(early.action == .gather)
        let late = driver.respond(to: input("john at example dot com", at: 90, key: early.session.nextTurnKey),
                                  in: early.session)
        #expect(late.action == .hangUp(.systemTimeout))
        let brief = agent { $0.maxTurns = 1 }
        let one = driver.respond(to: input("My name is John Smith", at: 3, key: "1"),
                                 in: driver.start(session(brief), now: start).session)
        #expect(one.action == .hangUp(.systemTimeout))
    }
}
