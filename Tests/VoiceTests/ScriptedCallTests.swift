import Foundation
import Testing
import Voice

@Suite("A whole customer-support call")
struct ScriptedCallTests {
    @Test func customerSupportCallCollectsNameEmailIssueAndEndsOnGoodbye() {
        var call = CallScript(agent: SeedAgents.customerSupport)

        let opening = call.start()
        #expect(opening.reply == "Hello, thank you for calling customer support. My name is Ava, and I'll make sure your request reaches the right team. May I have your full name, please?")
        #expect(opening.action == .gather)
        #expect(call.session.currentField == "name")

        let afterName = call.say("My name is John Smith.")
        #expect(afterName.reply == "Thank you, John Smith. What is the best email address to reach you? You can spell it out, like jane at example dot com.")
        #expect(afterName.action == .gather)

        let afterEmail = call.say("sure, it's john dot smith at example dot com")
        #expect(afterEmail.reply == "Thanks. I have your email as john.smith@example.com. Please briefly describe the issue you're calling about.")

        let afterIssue = call.say("My order arrived damaged and I'd like a replacement.")
        #expect(afterIssue.reply == "Got it. Thank you, John. I have everything I need, and our team will follow up with you shortly. Is there anything else I can help you with?")
        #expect(afterIssue.action == .gather)
        #expect(call.session.phase == .wrappingUp)

        let goodbye = call.say("No, that's all, thanks.")
        #expect(goodbye.reply == "Thank you for calling, John. Have a great day. Goodbye!")
        #expect(goodbye.action == .hangUp(.user))

        #expect(call.session.dataCollected == [
            "name": "John Smith",
            "email": "john.smith@example.com",
            "issue": "My order arrived damaged and I'd like a replacement.",
        ])
        #expect(call.session.isEnded)
        #expect(call.session.endedBy == .user)
        #expect(call.session.turnCount == 4)

        // The transcript alternates agent and caller, with the caller's words as heard.
        let transcript = call.session.transcript
        #expect(transcript.count == 9)
        #expect(transcript.map(\.role) == [.assistant, .user, .assistant, .user, .assistant, .user, .assistant, .user, .assistant])
        #expect(transcript[1].content == "My name is John Smith.")
        #expect(transcript[1].confidence == 0.93)
        #expect(transcript[0].confidence == nil)
        #expect(zip(transcript, transcript.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp })
        #expect(transcript.last?.content == goodbye.reply)

        // Sync jobs: at 5 lines (after the email turn), and once more at hang-up.
        #expect(call.outcomes.map(\.jobs) == [[], [], [.syncTranscript], [], [.syncTranscript]])
        #expect(call.session.messagesSinceSync == 0)

        // The record the worker writes from it.
        let record = CallRecord(session: call.session, status: .completed)
        #expect(record.agentRecipientKey == "customer-support-001#+15550100199#2025-05-13T13:40:00.000Z")
        #expect(record.messageCount == 9)
        #expect(record.endedBy == .user)
        #expect(record.syncVersion == call.session.version)
    }

    @Test func everyAnswerVersionGrowsAndTheNextTurnKeyFollowsIt() {
        var call = CallScript(agent: SeedAgents.customerSupport)
        call.start()
        var versions = [call.session.version]
        for line in ["Priya Patel", "priya at example dot org", "I was double charged"] {
            call.say(line)
            versions.append(call.session.version)
        }
        #expect(versions == [1, 2, 3, 4])
        #expect(call.session.nextTurnKey == "4")
    }

    @Test func salesCallTakesAPhoneNumberAsContactAndLetsTheCallerSkipTheOptionalTimeline() {
        var call = CallScript(agent: SeedAgents.sales)
        call.start()
        call.say("Sam Patel")
        #expect(call.say("Brightline Logistics").reply.hasSuffix("What's the best email address or phone number for our account executive to reach you?"))
        let contact = call.say("you can reach me at five five five, oh one oh, oh one nine nine")
        #expect(call.session.dataCollected["contact"] == "+15550100199")
        #expect(contact.reply.hasPrefix("Thanks. I have + 1 5 5 5 0 1 0 0 1 9 9 as the best way to reach you."))
        let interest = call.say("The analytics platform for our trucks")
        #expect(interest.reply == "Got it. That covers all the required details. And roughly when are you hoping to get started? You can also say skip.")
        let skipped = call.say("I'm not sure")
        #expect(skipped.reply == "No problem, we'll skip that. Thank you, Sam. I have everything I need, and our team will follow up with you shortly. Is there anything else I can help you with?")
        #expect(call.session.skippedFields == ["timeline"])
        #expect(call.session.dataCollected["timeline"] == nil)
        #expect(call.session.hasAllRequiredData)
        // "Yes" to "anything else?" invites more; what follows is noted.
        #expect(call.say("yes").reply == "Of course. What else can I help you with?")
        #expect(call.say("Do you integrate with our fuel cards?").reply == "I've noted that for our team. Is there anything else I can help you with?")
        #expect(call.say("nope").action == .hangUp(.user))
    }
}
