import Foundation
import Testing
import Voice

@Suite("Rule engine behaviour")
struct RuleEngineTests {
    // MARK: Goodbye

    @Test(arguments: [
        "bye", "Goodbye!", "Bye-bye.", "that's all, thanks", "No, that's it.", "Okay, thank you so much, bye.",
        "That will be all, thank you", "I'm done, goodbye", "have a nice day", "you can hang up now",
    ])
    func goodbyeEndsTheCall(_ words: String) {
        var call = CallScript(agent: SeedAgents.customerSupport)
        call.start()
        let outcome = call.say(words)
        #expect(outcome.action == .hangUp(.user), "\(words)")
        #expect(call.session.endedBy == .user)
    }

    @Test(arguments: [
        "thanks, my email is john at example dot com",
        "I'm not done yet",
        "bye the way, I also wanted to ask something",
        "don't hang up",
        "no, my name is John Smith",
        "thanks",
        "no",
        "no, don't hang up, I'm still here",
        "I said goodbye to my old provider last month",
    ])
    func wordsThatOnlyLookLikeGoodbyeKeepTheCallGoing(_ words: String) {
        var call = CallScript(agent: SeedAgents.customerSupport)
        call.start()
        call.say("Jane Doe")
        let outcome = call.say(words)
        #expect(outcome.action == .gather, "\(words)")
        #expect(!call.session.isEnded)
    }

    @Test func thanksWithAnEmailStoresTheEmail() {
        var call = CallScript(agent: SeedAgents.customerSupport)
        call.start()
        call.say("Jane Doe")
        call.say("thanks, my email is jane at example dot com")
        #expect(call.session.dataCollected["email"] == "jane@example.com")
    }

    @Test func noWithANameCorrectsTheNameWhileTheEmailIsBeingAsked() {
        var call = CallScript(agent: SeedAgents.customerSupport)
        call.start()
        call.say("Jon Smith")
        let outcome = call.say("no, my name is John Smith")
        #expect(outcome.reply == "Thanks, I've updated your name to John Smith. What is the best email address to reach you? You can spell it out, like jane at example dot com.")
        #expect(call.session.dataCollected["name"] == "John Smith")
        #expect(call.session.currentField == "email")
    }

    @Test func bareNoEndsTheCallOnlyAfterAnythingElse() {
        var call = CallScript(agent: SeedAgents.fallback)
        call.start()
        call.say("Alex Morgan")
        call.say("Please call me back about my appointment")
        #expect(call.session.phase == .wrappingUp)
        #expect(call.say("no").action == .hangUp(.user))
    }

    // MARK: Silence

    @Test func threeSilentTurnsInARowHangUpWithSystemTimeout() {
        var call = CallScript(agent: SeedAgents.customerSupport)
        call.start()
        let first = call.say(nil)
        #expect(first.reply == "Sorry, I didn't hear anything. May I have your full name, please?")
        #expect(first.action == .gather)
        let second = call.say("   ")
        #expect(second.reply == "Are you still there? May I have your full name, please?")
        #expect(second.action == .gather)
        let third = call.say(nil)
        #expect(third.reply == "I haven't been able to hear you, so I'll end the call now. Please call us back any time. Goodbye.")
        #expect(third.action == .hangUp(.systemTimeout))
        #expect(call.session.endedBy == .systemTimeout)
        // Silent turns add only the agent's lines to the transcript.
        #expect(call.session.transcript.map(\.role) == [.assistant, .assistant, .assistant, .assistant])
    }

    @Test func speechBetweenSilencesResetsTheStrikes() {
        var call = CallScript(agent: SeedAgents.customerSupport)
        call.start()
        call.say(nil)
        call.say(nil)
        call.say("Jane Doe")
        #expect(call.session.noInputStrikes == 0)
        #expect(call.say(nil).action == .gather)
        #expect(call.say(nil).action == .gather)
        #expect(call.say(nil).action == .hangUp(.systemTimeout))
    }

    // MARK: Low confidence

    @Test func lowConfidenceAsksToRepeatThenConfirmsWhatItHeard() {
        var call = CallScript(agent: SeedAgents.customerSupport)
        call.start()
        let first = call.say("Jane Do", confidence: 0.41)
        #expect(first.reply == "Sorry, I didn't quite catch that. Could you say it again? May I have your full name, please?")
        #expect(call.session.dataCollected["name"] == nil)
        #expect(call.session.lowConfidenceStrikes == 1)

        let second = call.say("Jane Doe", confidence: 0.52)
        #expect(second.reply == "I think I heard Jane Doe for your name. Is that right?")
        #expect(call.session.dataCollected["name"] == nil)
        #expect(call.session.pendingConfirmation == PendingConfirmation(subject: .fieldValue, field: "name", value: "Jane Doe"))
        #expect(call.session.lowConfidenceStrikes == 0)

        let confirmed = call.say("yes", confidence: 0.9)
        #expect(confirmed.reply.hasPrefix("Thank you, Jane Doe."))
        #expect(call.session.dataCollected["name"] == "Jane Doe")
        #expect(call.session.currentField == "email")
    }

    @Test func aRejectedConfirmationAsksAgain() {
        var call = CallScript(agent: SeedAgents.customerSupport)
        call.start()
        call.say("Jean", confidence: 0.3)
        call.say("Jean", confidence: 0.3)
        let rejected = call.say("no")
        #expect(rejected.reply == "Sorry about that, let's try again. May I have your full name, please?")
        #expect(call.session.dataCollected["name"] == nil)
        // A correction instead of a plain no is taken as the new answer.
        call.say("Jean", confidence: 0.3)
        call.say("Jean", confidence: 0.3)
        call.say("no, it's Joan Baker")
        #expect(call.session.dataCollected["name"] == "Joan Baker")
    }

    @Test func aLowConfidenceGoodbyeIsConfirmedBeforeHangingUp() {
        var call = CallScript(agent: SeedAgents.customerSupport)
        call.start()
        call.say("bye", confidence: 0.2)
        let asked = call.say("bye", confidence: 0.3)
        #expect(asked.reply == "Did you want to end the call?")
        #expect(asked.action == .gather)
        let kept = call.say("no")
        #expect(kept.reply == "All right, let's continue. May I have your full name, please?")
        call.say("bye", confidence: 0.2)
        call.say("bye", confidence: 0.3)
        #expect(call.say("yes").action == .hangUp(.user))
    }

    @Test func confidentTurnsResetTheLowConfidenceCount() {
        var call = CallScript(agent: SeedAgents.customerSupport)
        call.start()
        call.say("Jane Doe", confidence: 0.4)
        call.say("Jane Doe", confidence: 0.95)
        #expect(call.session.dataCollected["name"] == "Jane Doe")
        call.say("jane at example dot com", confidence: 0.4)
        #expect(call.session.lowConfidenceStrikes == 1)
        #expect(call.session.dataCollected["email"] == nil)
    }

    // MARK: Turn limit

    @Test func theTurnLimitClosesWithSystemTimeoutWhenDataIsMissing() {
        var call = CallScript(agent: SeedAgents.customerSupport, configuration: .init(maxTurns: 3))
        call.start()
        #expect(call.say("what time is it").action == .gather)
        #expect(call.say("Jane Doe").action == .gather)
        let last = call.say("jane at example dot com")
        #expect(last.reply == "Thanks. I have your email as jane@example.com. I'm sorry, we've run out of time on this call. A member of our team will follow up with you. Goodbye!")
        #expect(last.action == .hangUp(.systemTimeout))
        #expect(call.session.dataCollected["email"] == "jane@example.com")
    }

    @Test func theTurnLimitClosesWithSystemCompleteWhenDataIsIn() {
        var call = CallScript(agent: SeedAgents.customerSupport, configuration: .init(maxTurns: 3))
        call.start()
        call.say("Jane Doe")
        call.say("jane at example dot com")
        let last = call.say("The package never arrived")
        #expect(last.action == .hangUp(.systemComplete))
        #expect(last.reply == "Got it. Thank you, Jane. I have everything I need, and our team will follow up with you shortly. We've reached the end of our time on this call, so I'll end it here. Thank you, goodbye!")
        #expect(!last.reply.contains("anything else"))
    }

    // MARK: Validation

    @Test func anInvalidEmailIsNotStoredAndIsAskedAgainWithTheReason() {
        var call = CallScript(agent: SeedAgents.customerSupport)
        call.start()
        call.say("Jane Doe")
        let unheard = call.say("I'd rather not give that out")
        #expect(unheard.reply == "Sorry, I didn't catch your email address. For example: jane at example dot com. What is the best email address to reach you? You can spell it out, like jane at example dot com.")
        #expect(call.session.fieldAttempts == 1)
        #expect(call.session.currentField == "email")
        #expect(call.say("jane@example.com").reply.hasPrefix("Thanks. I have your email as jane@example.com."))
        #expect(call.session.fieldAttempts == 0)
    }

    @Test func aValueFailingTheValidationPatternIsExplained() {
        var agent = SeedAgents.hindiSupport
        agent.language = "en-IN"
        agent.dataToFill = [DataField(name: "phone", prompt: "Your ten digit mobile number, please.",
                                      example: "98765 43210", validationPattern: #"^\+91[6-9][0-9]{9}$"#)]
        var call = CallScript(agent: agent)
        call.start()
        let outcome = call.say("my number is 12345 67890")
        #expect(outcome.reply == "Sorry, + 9 1 1 2 3 4 5 6 7 8 9 0 doesn't look like a valid phone number. For example: 98765 43210. Your ten digit mobile number, please.")
        #expect(call.session.dataCollected["phone"] == nil)
        call.say("98765 43210")
        #expect(call.session.dataCollected["phone"] == "+919876543210")
    }

    @Test func aTooShortDescriptionIsRefusedWithoutReadingItBack() {
        var call = CallScript(agent: SeedAgents.customerSupport)
        call.start()
        call.say("Jane Doe")
        call.say("jane at example dot com")
        let outcome = call.say("ok")
        #expect(outcome.reply == "Sorry, I couldn't use that as your issue. For example: My order arrived damaged. Please briefly describe the issue you're calling about.")
        #expect(call.session.dataCollected["issue"] == nil)
    }

    @Test func aBrokenPatternAcceptsAnswersInsteadOfTrappingTheCaller() {
        var agent = SeedAgents.fallback
        agent.dataToFill[0].validationPattern = "([unclosed"
        #expect(agent.configurationProblems() == ["data_to_fill.name.validation_pattern is not a valid regular expression"])
        var call = CallScript(agent: agent)
        call.start()
        call.say("Alex Morgan")
        #expect(call.session.dataCollected["name"] == "Alex Morgan")
    }

    @Test func anOptionalFieldIsSkippedAfterRepeatedFailures() {
        var agent = SeedAgents.fallback
        agent.dataToFill.append(DataField(name: "callback_number", required: false, prompt: "What number should we call back?"))
        var call = CallScript(agent: agent)
        call.start()
        call.say("Alex Morgan")
        call.say("About my appointment")
        #expect(call.session.currentField == "callback_number")
        #expect(call.say("the usual one").action == .gather)
        let second = call.say("the one you have")
        #expect(second.reply.hasPrefix("Sorry, I didn't catch your phone number. No problem, we'll skip that. Thank you, Alex."))
        #expect(call.session.skippedFields == ["callback_number"])
        #expect(call.session.phase == .wrappingUp)
    }

    // MARK: Help, time, date, hello

    @Test func helpTimeDateAndHelloAreAnsweredAndTheQuestionRepeated() {
        var call = CallScript(agent: SeedAgents.customerSupport)
        call.start()
        call.say("Jane Doe")
        let help = call.say("help")
        #expect(help.reply == "I'm an automated assistant. I'm collecting a few details so our team can help you: email address and issue. You can also ask me the time or the date, or say goodbye to end the call. What is the best email address to reach you? You can spell it out, like jane at example dot com.")
        // 13:40 UTC is 9:40 in New York (EDT).
        #expect(call.say("what time is it?").reply.hasPrefix("It's 9:40 AM. What is the best email"))
        #expect(call.say("what's the date today").reply.hasPrefix("Today is Tuesday, May 13, 2025. What is the best email"))
        #expect(call.say("Hello?").reply.hasPrefix("Hello! What is the best email"))
        #expect(call.session.dataCollected.count == 1)
        #expect(call.session.currentField == "email")
    }

    @Test func askingToRepeatRepeatsTheLastLine() {
        var call = CallScript(agent: SeedAgents.customerSupport)
        call.start()
        let name = call.say("Jane Doe")
        let repeated = call.say("sorry, can you repeat that?")
        #expect(repeated.reply == name.reply)
        #expect(call.session.currentField == "email")
        #expect(call.say("फिर से बोलिए").reply == name.reply)
    }

    @Test func anAgentWithNothingToCollectAsksHowItCanHelpAndNotesWhatItHears() {
        var agent = SeedAgents.fallback
        agent.dataToFill = []
        agent.greeting = "Hello."
        var call = CallScript(agent: agent)
        #expect(call.start().reply == "Hello. How can I help you today?")
        #expect(call.say("I wanted to check my appointment").reply == "I've noted that for our team. Is there anything else I can help you with?")
        #expect(call.say("no thanks").action == .hangUp(.user))
    }

    @Test func timeUsesTheGivenTimeZoneNotTheMachines() {
        var call = CallScript(agent: SeedAgents.customerSupport, timeZone: TimeZone(identifier: "Asia/Kolkata")!)
        call.start()
        #expect(call.say("what time is it").reply.hasPrefix("It's 7:10 PM."))
    }

    @Test func freeTextThatMentionsHelpIsStillTheAnswer() {
        var call = CallScript(agent: SeedAgents.customerSupport)
        call.start()
        call.say("Jane Doe")
        call.say("jane at example dot com")
        call.say("I need help with my billing, the time on my invoice is wrong")
        #expect(call.session.dataCollected["issue"] == "I need help with my billing, the time on my invoice is wrong")
    }

    // MARK: Replays and ended calls

    @Test func aRetriedTurnIsAnsweredAgainWithoutAppendingTwice() {
        var call = CallScript(agent: SeedAgents.customerSupport)
        call.start()
        let key = call.session.nextTurnKey
        let input = TurnInput(speech: "Jane Doe", confidence: 0.9, now: call.now, timeZone: call.timeZone, turnKey: key)
        let first = call.engine.respond(to: input, in: call.session)
        let retry = call.engine.respond(to: input, in: first.session)
        #expect(retry.isReplay)
        #expect(retry.reply == first.reply)
        #expect(retry.action == first.action)
        #expect(retry.session == first.session)
        #expect(first.session.transcript.count == 3)
        #expect(retry.jobs.isEmpty)
    }

    @Test func aRetriedHangUpIsAHangUpAgain() {
        var call = CallScript(agent: SeedAgents.customerSupport)
        call.start()
        let input = TurnInput(speech: "goodbye", now: call.now, timeZone: call.timeZone, turnKey: call.session.nextTurnKey)
        let first = call.engine.respond(to: input, in: call.session)
        let retry = call.engine.respond(to: input, in: first.session)
        #expect(retry.isReplay)
        #expect(retry.action == .hangUp(.user))
        #expect(retry.reply == first.reply)
    }

    @Test func aTurnAfterTheEndChangesNothing() {
        var call = CallScript(agent: SeedAgents.customerSupport)
        call.start()
        call.say("bye")
        let before = call.session
        let late = call.say("hello?")
        #expect(late.isReplay)
        #expect(late.action == .hangUp(.user))
        #expect(late.session == before)
    }

    @Test func startingTwiceRepeatsTheGreetingWithoutAppending() {
        var call = CallScript(agent: SeedAgents.customerSupport)
        let first = call.start()
        let again = call.engine.start(call.session, now: call.now)
        #expect(again.isReplay)
        #expect(again.reply == first.reply)
        #expect(again.session.transcript.count == 1)
    }

    // MARK: Sync frequency

    @Test(arguments: [1, 2, 3, 5, 7])
    func syncJobsComeEveryFrequencyLines(frequency: Int) {
        var call = CallScript(agent: SeedAgents.customerSupport, configuration: .init(syncFrequency: frequency, maxTurns: 100))
        call.start()
        var lines = call.session.transcript.count
        var syncedAt: [Int] = call.outcomes[0].jobs.isEmpty ? [] : [lines]
        for _ in 0..<12 {
            let outcome = call.say("what time is it")
            lines = call.session.transcript.count
            if outcome.jobs.contains(.syncTranscript) { syncedAt.append(lines) }
        }
        // A sync is due when at least `frequency` lines accumulated since the last one.
        var expected: [Int] = []
        var last = 0
        for count in [1] + (1...12).map({ 1 + 2 * $0 }) where count - last >= frequency {
            expected.append(count)
            last = count
        }
        #expect(syncedAt == expected)
        #expect(lines == 25)
    }

    // MARK: Returning callers

    @Test func aReturningCallerIsWelcomedBackByNameAndNotAskedForItAgain() {
        let past = PastCall(
            callSid: "CA0000000000000000000000000000000a", startedAt: Timestamp(iso8601: "2025-05-01T10:00:00Z")!,
            status: .completed, endedBy: .user,
            dataCollected: ["name": "John Smith", "email": "john@example.com", "issue": "Late delivery"],
            summary: "email: john@example.com; issue: Late delivery; name: John Smith")
        var call = CallScript(agent: SeedAgents.customerSupport, pastCalls: [past])
        let opening = call.start()
        #expect(opening.reply == "Hello, thank you for calling customer support. My name is Ava, and I'll make sure your request reaches the right team. Welcome back, John. What is the best email address to reach you? You can spell it out, like jane at example dot com.")
        #expect(call.session.dataCollected["name"] == "John Smith")
        #expect(call.session.currentField == "email")
    }

    @Test func aReturningCallerWithoutANameIsWelcomedBack() {
        let past = PastCall(callSid: "CA1", startedAt: Timestamp(iso8601: "2025-05-01T10:00:00Z")!, status: .noAnswer, summary: "no conversation")
        var call = CallScript(agent: SeedAgents.customerSupport, pastCalls: [past])
        #expect(call.start().reply.contains("Welcome back, it's good to hear from you again. May I have your full name, please?"))
    }

    @Test func aSessionRecoveredFromItsRecordResumesAtTheMissingField() {
        var call = CallScript(agent: SeedAgents.customerSupport)
        call.start()
        call.say("Jane Doe")
        let record = CallRecord(session: call.session, status: .inProgress)
        let recovered = Session(recovering: record, agent: SeedAgents.customerSupport, now: Timestamp(call.now))
        #expect(recovered.transcript == call.session.transcript)
        #expect(recovered.currentField == "email")
        #expect(recovered.phase == .collecting)
        #expect(recovered.version == call.session.version)
        let next = RuleEngine().respond(
            to: TurnInput(speech: "jane at example dot com", now: call.now + 5, timeZone: call.timeZone), in: recovered)
        #expect(next.session.dataCollected["email"] == "jane@example.com")
    }
}
