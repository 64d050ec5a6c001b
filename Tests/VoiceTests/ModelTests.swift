import Foundation
import Testing
import Voice

@Suite("Models and their stored form")
struct ModelTests {
    func json(_ value: some Encodable) throws -> [String: Any] {
        let data = try JSONEncoder().encode(value)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test(arguments: ["default", "customer-support-001", "a", "A_b-9", "9lives", String(repeating: "x", count: 64)])
    func agentIdsThatAreAccepted(_ id: String) {
        #expect(AgentValidation.isAgentId(id))
    }

    @Test(arguments: ["", "-lead", "_lead", "bad id!", "caf\u{E9}", "a/b", "a.b", "a\u{301}",
                      String(repeating: "x", count: 65)])
    func agentIdsThatAreRefused(_ id: String) {
        #expect(!AgentValidation.isAgentId(id))
    }

    @Test func agentsRoundTripWithTheirFieldOrder() throws {
        for agent in SeedAgents.all(createdAt: Timestamp(iso8601: "2025-05-13T09:00:00Z")) {
            let data = try JSONEncoder().encode(agent)
            let decoded = try JSONDecoder().decode(Agent.self, from: data)
            #expect(decoded.dataToFill.map(\.name) == agent.dataToFill.map(\.name))
            #expect(decoded.agentId == agent.agentId)
            #expect(decoded.greeting == agent.greeting)
            #expect(decoded.createdAt == agent.createdAt)
            #expect(agent.configurationProblems().isEmpty, "\(agent.agentId)")
        }
    }

    @Test func agentsUseTheOriginalAttributeNames() throws {
        let object = try json(SeedAgents.customerSupport)
        #expect(Set(object.keys) == ["agent_id", "name", "prompt", "few_shot", "voice", "language", "greeting", "data_to_fill", "status"])
        let fields = try #require(object["data_to_fill"] as? [String: [String: Any]])
        #expect(Set(fields.keys) == ["name", "email", "issue"])
        #expect(Set(fields["email"]!.keys) == ["required", "prompt", "example", "validation_pattern", "order"])
        #expect(fields["issue"]?["order"] as? Int == 3)
        let fewShot = try #require(object["few_shot"] as? [[String: String]])
        #expect(Set(fewShot[0].keys) == ["user", "assistant"])
    }

    @Test func fieldsWithoutOrderAreSortedNameThenContactThenTheRestAlphabetically() throws {
        let text = """
            {"agent_id": "a1", "name": "A", "prompt": "", "voice": "Polly.Joanna", "language": "en-US",
             "greeting": "Hi", "status": "active",
             "data_to_fill": {
                "issue": {"required": true, "prompt": "Issue?"},
                "budget": {"required": false, "prompt": "Budget?"},
                "email": {"required": true, "prompt": "Email?", "validation_pattern": "^.+@.+$"},
                "full_name": {"required": true, "prompt": "Name?"},
                "zip": {"prompt": "Zip?", "order": 1}
             }}
            """
        let agent = try JSONDecoder().decode(Agent.self, from: Data(text.utf8))
        #expect(agent.dataToFill.map(\.name) == ["zip", "full_name", "email", "budget", "issue"])
        #expect(agent.field(named: "zip")?.required == true)
        #expect(agent.field(named: "budget")?.required == false)
        #expect(agent.field(named: "email")?.validationPattern == "^.+@.+$")
    }

    @Test func callRecordsUseTheOriginalAttributeNames() throws {
        var call = CallScript(agent: SeedAgents.customerSupport)
        call.start()
        call.say("Jane Doe")
        var record = CallRecord(session: call.session, status: .inProgress)
        record.callRecordingUrl = "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1"
        let object = try json(record)
        #expect(object["call_sid"] as? String == "CA00000000000000000000000000000001")
        #expect(object["agent_recipient_key"] as? String == "customer-support-001#+15550100199#2025-05-13T13:40:00.000Z")
        #expect(object["status"] as? String == "in-progress")
        #expect(object["message_count"] as? Int == 3)
        #expect(object["recipient_phone"] as? String == "+15550100199")
        #expect(object["caller_phone"] as? String == "+15550100123")
        #expect(object["started_at"] as? String == "2025-05-13T13:40:00.000Z")
        #expect((object["data_collected"] as? [String: String]) == ["name": "Jane Doe"])
        let history = try #require(object["conversation_history"] as? [[String: Any]])
        #expect(history[1]["role"] as? String == "user")
        #expect(history[1]["confidence"] as? Double == 0.93)
        #expect(object["ended_at"] == nil)
        let decoded = try JSONDecoder().decode(CallRecord.self, from: JSONEncoder().encode(record))
        #expect(decoded == record)
        #expect(CallRecord.agentRecipientPrefix(agentId: "sales-001", recipientPhone: "+15550100199") == "sales-001#+15550100199#")
    }

    @Test func callRecordsWrittenByThePythonSystemDecode() throws {
        let text = """
            {"call_sid": "CA9", "agent_id": "sales-001", "recipient_phone": "+15550100199",
             "caller_phone": "+15550100123", "status": "completed", "started_at": "2025-05-01T10:00:00.123456",
             "ended_at": "2025-05-01T10:03:20+00:00", "duration_seconds": 200, "ended_by": "system_complete",
             "conversation_history": [{"role": "assistant", "content": "Hi", "timestamp": "2025-05-01T10:00:01"}],
             "data_collected": {"name": "Sam"}}
            """
        let record = try JSONDecoder().decode(CallRecord.self, from: Data(text.utf8))
        #expect(record.startedAt.description == "2025-05-01T10:00:00.123Z")
        #expect(record.endedAt?.description == "2025-05-01T10:03:20.000Z")
        #expect(record.agentRecipientKey == "sales-001#+15550100199#2025-05-01T10:00:00.123Z")
        #expect(record.messageCount == 1)
        #expect(record.direction == .outbound)
        let past = PastCall(record: record)
        #expect(past.summary == "name: Sam")
    }

    @Test func sessionsRoundTrip() throws {
        var call = CallScript(agent: SeedAgents.hindiSupport)
        call.start()
        call.say("राहुल", confidence: 0.3)
        call.say("राहुल", confidence: 0.3)
        let data = try JSONEncoder().encode(call.session)
        let decoded = try JSONDecoder().decode(Session.self, from: data)
        #expect(decoded == call.session)
        #expect(decoded.pendingConfirmation?.value == "राहुल")
        let object = try json(call.session)
        #expect(object["low_confidence_strikes"] as? Int == 0)
        #expect(object["current_field"] as? String == "name")
        #expect(object["phase"] as? String == "collecting")
    }

    @Test func pastCallsAreKeptNewestFirstAndAtMostFive() {
        let calls = (1...7).map { day in
            PastCall(callSid: "CA\(day)", startedAt: Timestamp(iso8601: "2025-05-0\(day)T10:00:00Z")!, status: .completed, summary: "")
        }
        let session = Session(
            callSid: "CA", agent: SeedAgents.fallback, direction: .inbound, recipientPhone: "+15550100199",
            callerPhone: "+15550100123", pastCalls: calls, startedAt: Timestamp(iso8601: "2025-05-13T10:00:00Z")!)
        #expect(session.pastCalls.map(\.callSid) == ["CA7", "CA6", "CA5", "CA4", "CA3"])
    }

    @Test func timestamps() throws {
        let stamp = try #require(Timestamp(iso8601: "2025-05-13T09:41:07.250Z"))
        #expect(stamp.description == "2025-05-13T09:41:07.250Z")
        #expect(Timestamp(iso8601: "2025-05-13T15:11:07.25+05:30") == stamp)
        #expect(Timestamp(iso8601: "1969-12-31T23:59:59.999Z")?.millisecondsSince1970 == -1)
        #expect(Timestamp(iso8601: "2024-02-29T00:00:00Z")?.description == "2024-02-29T00:00:00.000Z")
        #expect(Timestamp(iso8601: "2025-13-01T00:00:00Z") == nil)
        #expect(Timestamp(iso8601: "yesterday") == nil)
        #expect(Timestamp(Date(timeIntervalSince1970: 1_747_143_600.5)).description == "2025-05-13T13:40:00.500Z")
        #expect(stamp.seconds(until: Timestamp(iso8601: "2025-05-13T09:44:27.250Z")!) == 200)
        // Same-width strings sort like the instants they name.
        let earlier = Timestamp(iso8601: "2025-05-13T09:41:07.250Z")!.description
        let later = Timestamp(iso8601: "2025-05-13T10:00:00Z")!.description
        #expect(earlier < later)
    }

    @Test func timestampsDecodeFromStringsAndEpochSeconds() throws {
        let decoder = JSONDecoder()
        let decoded = try decoder.decode([Timestamp].self, from: Data(#"["2025-05-13T09:41:07.250Z", 1747129267.25]"#.utf8))
        #expect(decoded.map(\.description) == ["2025-05-13T09:41:07.250Z", "2025-05-13T09:41:07.250Z"])
        #expect(throws: DecodingError.self) { try decoder.decode([Timestamp].self, from: Data(#"["soon"]"#.utf8)) }
        #expect(throws: DecodingError.self) { try decoder.decode([Timestamp].self, from: Data("[true]".utf8)) }
    }

    @Test func statuses() {
        #expect(CallStatus(rawValue: "no-answer") == .noAnswer)
        #expect(CallStatus.inProgress.rawValue == "in-progress")
        #expect(CallStatus.allCases.filter(\.isFinal) == [.completed, .failed, .busy, .noAnswer, .canceled, .abandoned])
        #expect(EndedBy.allCases.map(\.rawValue) == ["user", "system_complete", "system_timeout", "error", "unknown"])
        #expect(CallDirection(twilio: "outbound-api") == .outbound)
        #expect(CallDirection(twilio: "inbound") == .inbound)
        #expect(CallDirection(twilio: "sideways") == nil)
    }
}

@Suite("Phone numbers")
struct PhoneNumberTests {
    @Test func e164() {
        #expect(PhoneNumber.isE164("+15550100199"))
        #expect(PhoneNumber.isE164("+15550100"))
        #expect(!PhoneNumber.isE164("15550100199"))
        #expect(!PhoneNumber.isE164("+05550100199"))
        #expect(!PhoneNumber.isE164("+1555010019912345"))
        #expect(!PhoneNumber.isE164("+1 555 010 0199"))
        #expect(!PhoneNumber.isE164("+123456"))
    }

    @Test func normalisation() {
        #expect(PhoneNumber.normalize("+1 (555) 010-0199") == "+15550100199")
        #expect(PhoneNumber.normalize("555-010-0199", defaultCountryCode: "1") == "+15550100199")
        #expect(PhoneNumber.normalize("555-010-0199") == nil)
        #expect(PhoneNumber.normalize("0044 20 7946 0958") == "+442079460958")
        #expect(PhoneNumber.normalize("020 7946 0958", defaultCountryCode: "44") == "+442079460958")
        #expect(PhoneNumber.normalize("+1 555 CALL NOW") == nil)
        #expect(PhoneNumber.normalize("+1 555 010 0199 x12") == nil, "an extension is not part of the number")
        #expect(PhoneNumber.normalize("+1 555\u{00A0}010.0199") == "+15550100199")
        #expect(PhoneNumber.normalize("") == nil)
        #expect(PhoneNumber.defaultCountryCode(forLanguage: "en-US") == "1")
        #expect(PhoneNumber.defaultCountryCode(forLanguage: "hi-IN") == "91")
        #expect(PhoneNumber.defaultCountryCode(forLanguage: "hi") == "91")
        #expect(PhoneNumber.defaultCountryCode(forLanguage: "en") == nil)
    }

    @Test func masking() {
        #expect(PhoneNumber.masked("+15550100199") == "+*******0199")
        #expect(PhoneNumber.masked("+91 98765 43210") == "+** ***** *3210")
        #expect(PhoneNumber.masked("1234") == "****")
        #expect(PhoneNumber.masked("") == "")
    }
}

@Suite("Call endings")
struct CallEndingTests {
    @Test func theEnginesReasonWinsOverTheStatus() {
        #expect(EndedBy.resolved(engine: .systemComplete, finalStatus: .completed) == .systemComplete)
        #expect(EndedBy.resolved(engine: .user, finalStatus: .abandoned) == .user)
    }

    @Test func withoutOneTheStatusDecides() {
        #expect(EndedBy.resolved(engine: nil, finalStatus: .completed) == .user)
        #expect(EndedBy.resolved(engine: nil, finalStatus: .failed) == .error)
        #expect(EndedBy.resolved(engine: nil, finalStatus: .abandoned) == .systemTimeout)
        #expect(EndedBy.resolved(engine: nil, finalStatus: .busy) == .unknown)
        #expect(EndedBy.resolved(engine: nil, finalStatus: .noAnswer) == .unknown)
    }

    @Test func partiesPutTheCustomerInRecipientPhone() {
        let outbound = CallRecord.parties(direction: .outbound, from: "+15550100123", to: "+15550100199")
        #expect(outbound.recipientPhone == "+15550100199")
        #expect(outbound.callerPhone == "+15550100123")
        let inbound = CallRecord.parties(direction: .inbound, from: "+15550100199", to: "+15550100123")
        #expect(inbound.recipientPhone == "+15550100199")
        #expect(inbound.callerPhone == "+15550100123")
        let session = Session(
            callSid: "CA", agent: SeedAgents.sales, direction: .inbound, recipientPhone: inbound.recipientPhone,
            callerPhone: inbound.callerPhone, startedAt: Timestamp(millisecondsSince1970: 0))
        #expect(session.from == "+15550100199")
        #expect(session.to == "+15550100123")
    }
}
