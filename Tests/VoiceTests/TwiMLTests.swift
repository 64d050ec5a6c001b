import Foundation
import Testing
import Voice
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses XML with Foundation's parser, keeping each element's name,
/// attributes and text, so tests check what Twilio would read.
final class ParsedXML: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text: String
        var depth: Int
    }

    private(set) var elements: [Element] = []
    private var stack: [Int] = []
    private(set) var error: String?

    static func parse(_ xml: String) -> ParsedXML {
        let result = ParsedXML()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = result
        if !parser.parse() {
            result.error = parser.parserError.map { "\($0)" } ?? "unknown parse error"
        }
        return result
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        elements.append(Element(name: elementName, attributes: attributeDict, text: "", depth: stack.count))
        stack.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let index = stack.last { elements[index].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        error = "\(parseError)"
    }

    var names: [String] { elements.map(\.name) }

    func first(_ name: String) -> Element? { elements.first { $0.name == name } }
}

@Suite("TwiML")
struct TwiMLTests {
    static let nastyGreeting = "Welcome to Smith & Sons <Plumbing> — \"we're\" the 'best' & fastest\u{0007}!"

    func agent(greeting: String = nastyGreeting) -> Agent {
        var agent = SeedAgents.customerSupport
        agent.greeting = greeting
        return agent
    }

    @Test func aGreetingWithMetacharactersStillMakesWellFormedTwiML() {
        var call = CallScript(agent: agent())
        let opening = call.start()
        let xml = TwiML.answer(to: opening, actionURL: "https://voice.example.com/voice/process-speech").xml
        let parsed = ParsedXML.parse(xml)
        #expect(parsed.error == nil, "\(xml)")
        #expect(parsed.names == ["Response", "Gather", "Say", "Redirect"])

        let gather = parsed.first("Gather")!
        #expect(gather.attributes == [
            "input": "dtmf speech", "action": "https://voice.example.com/voice/process-speech?turn=1", "method": "POST",
            "speechTimeout": "auto", "timeout": "5", "language": "en-US", "actionOnEmptyResult": "true",
            "finishOnKey": "#",
        ])
        let say = parsed.first("Say")!
        #expect(say.depth == 2)
        #expect(say.attributes == ["voice": "Polly.Joanna", "language": "en-US"])
        // The text Twilio reads back is the greeting as written, minus the control character.
        #expect(say.text == "Welcome to Smith & Sons <Plumbing> — \"we're\" the 'best' & fastest! May I have your full name, please?")
        let redirect = parsed.first("Redirect")!
        #expect(redirect.attributes == ["method": "POST"])
        #expect(redirect.text == "https://voice.example.com/voice/process-speech?turn=1")
    }

    @Test(arguments: [SeedAgents.customerSupport, SeedAgents.hindiSupport])
    func everyAnswerOfAWholeCallIsWellFormedAndInTheAgentsVoice(_ agent: Agent) {
        var call = CallScript(agent: agent)
        call.start()
        for line in ["what time is it", nil, "Priya Sharma", "priya at example dot com", "98765 43210", "My order is late", "bye"] {
            call.say(line)
        }
        #expect(call.session.isEnded)
        for (index, outcome) in call.outcomes.enumerated() {
            let parsed = ParsedXML.parse(TwiML.answer(to: outcome, actionURL: "https://voice.example.com/voice/process-speech").xml)
            #expect(parsed.error == nil)
            let say = parsed.first("Say")
            #expect(say?.attributes["voice"] == agent.voice)
            #expect(say?.attributes["language"] == agent.language)
            #expect(say?.text == outcome.reply)
            let last = index == call.outcomes.count - 1
            #expect(parsed.names.last == (last ? "Hangup" : "Redirect"))
            if !last { #expect(parsed.first("Gather")?.attributes["language"] == agent.language) }
        }
    }

    @Test func theTurnKeyJoinsAnExistingQuery() {
        var call = CallScript(agent: SeedAgents.sales)
        call.start()
        let outcome = call.say("Sam Patel")
        let xml = TwiML.answer(to: outcome, actionURL: "https://voice.example.com/voice/process-speech?agent_id=sales-001&x=a%20b").xml
        let parsed = ParsedXML.parse(xml)
        #expect(parsed.error == nil)
        #expect(parsed.first("Gather")?.attributes["action"] == "https://voice.example.com/voice/process-speech?agent_id=sales-001&x=a%20b&turn=2")
        #expect(parsed.first("Say")?.attributes["voice"] == "Polly.Matthew")
        #expect(xml.contains("agent_id=sales-001&amp;x=a%20b&amp;turn=2"))
    }

    @Test func listeningAgainAfterAnInterruptionSaysTheMessageInTheAgentsVoiceOrJustListens() {
        var call = CallScript(agent: SeedAgents.customerSupport)
        call.start()
        call.say("Jane Doe")
        let action = "https://voice.example.com/voice/process-speech"
        let parsed = ParsedXML.parse(TwiML.listenAgain(saying: "Hold <on> & listen", session: call.session,
                                                       actionURL: action, key: "7").xml)
        #expect(parsed.error == nil)
        #expect(parsed.names == ["Response", "Gather", "Say", "Redirect"])
        #expect(parsed.first("Gather")?.attributes["action"] == action + "?turn=7")
        // The email question's recogniser hints, as its turn had them.
        #expect(parsed.first("Gather")?.attributes["hints"]?.contains("dot com") == true)
        #expect(parsed.first("Say")?.text == "Hold <on> & listen")
        #expect(parsed.first("Say")?.attributes == ["voice": "Polly.Joanna", "language": "en-US"])

        let silent = ParsedXML.parse(TwiML.listenAgain(saying: nil, session: call.session, actionURL: action, key: "7").xml)
        #expect(silent.names == ["Response", "Gather", "Redirect"])
        #expect(silent.first("Redirect")?.text == action + "?turn=7")
    }

    @Test func aHangUpAnswerSaysThenHangsUp() {
        var call = CallScript(agent: agent(greeting: "Hi"))
        call.start()
        let outcome = call.say("goodbye")
        let parsed = ParsedXML.parse(TwiML.answer(to: outcome, actionURL: "https://voice.example.com/voice/process-speech").xml)
        #expect(parsed.error == nil)
        #expect(parsed.names == ["Response", "Say", "Hangup"])
        #expect(parsed.first("Say")?.text == "Thank you for calling. Have a great day. Goodbye!")
    }

    @Test func callerWordsWithXMLAreEscapedWhenEchoed() throws {
        var call = CallScript(agent: SeedAgents.customerSupport)
        call.start()
        call.say("Jane Doe")
        call.say("jane at example dot com")
        let hostile = "]]></Say><Hangup/><Say>&amp; ' \" \u{0000}\u{001B}" + String(repeating: "x", count: 10_000)
        let outcome = call.say(hostile)
        // Cut to 1000 characters, control characters gone, stored as said.
        let issue = try #require(call.session.dataCollected["issue"])
        #expect(issue.count == 1000)
        #expect(issue.hasPrefix("]]></Say><Hangup/><Say>&amp; ' \" "))
        #expect(!issue.unicodeScalars.contains { $0.value < 0x20 })
        #expect(call.session.transcript[call.session.transcript.count - 2].content == issue)
        let xml = TwiML.turn(saying: hostile, agent: SeedAgents.customerSupport, action: "https://h/p?a=1&b=2").xml
        let parsed = ParsedXML.parse(xml)
        #expect(parsed.error == nil)
        #expect(parsed.names == ["Response", "Gather", "Say", "Redirect"])
        #expect(parsed.first("Say")?.text.hasPrefix("]]></Say><Hangup/><Say>&amp; ' \" x") == true)
        #expect(ParsedXML.parse(TwiML.answer(to: outcome, actionURL: "https://h/p").xml).error == nil)
    }

    @Test func everyVerbRendersAndParses() {
        let twiml = TwiML([
            .say(TwiML.Say("One & two", voice: "Polly.Joanna", language: "en-US")),
            .pause(seconds: 2),
            .gather(TwiML.Gather(
                action: "/voice/process-speech?turn=3", timeout: 7, language: "en-US",
                hints: ["at", "dot com", "$OOV_CLASS_DIGIT_SEQUENCE"],
                prompts: [.say(TwiML.Say("Say \"yes\"")), .pause(seconds: 1), .hangup])),
            .redirect(url: "/voice/process-speech?a=1&b=2"),
            .hangup,
        ])
        let parsed = ParsedXML.parse(twiml.xml)
        #expect(parsed.error == nil, "\(twiml.xml)")
        // <Hangup/> is not allowed inside <Gather> and is left out there.
        #expect(parsed.names == ["Response", "Say", "Pause", "Gather", "Say", "Pause", "Redirect", "Hangup"])
        #expect(parsed.first("Pause")?.attributes == ["length": "2"])
        #expect(parsed.first("Gather")?.attributes["hints"] == "at, dot com, $OOV_CLASS_DIGIT_SEQUENCE")
        #expect(parsed.first("Gather")?.attributes["timeout"] == "7")
        #expect(parsed.first("Redirect")?.text == "/voice/process-speech?a=1&b=2")
        #expect(twiml.xml.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?><Response>"#))
    }

    @Test func escapingCoversMetacharactersAndControls() {
        #expect(XMLEscaping.escape(#"a&b<c>d"e'f"#) == "a&amp;b&lt;c&gt;d&quot;e&apos;f")
        #expect(XMLEscaping.escape("x\u{0000}\u{0008}\u{000B}\u{001F}\u{007F}\u{0085}\u{FFFE}y") == "xy")
        #expect(XMLEscaping.escape("line\none\ttab") == "line&#10;one&#9;tab")
        #expect(XMLEscaping.escape("नमस्ते 👋") == "नमस्ते 👋")
        // The neighbours of what is dropped stay: U+00A0 after the C1 block,
        // U+FFFD before U+FFFE, and a carriage return as a reference.
        #expect(XMLEscaping.escape("a\u{0080}\u{009F}\u{00A0}\u{FFFD}\u{FFFF}\rb") == "a\u{00A0}\u{FFFD}&#13;b")
        var appended = Array("<Say>".utf8)
        XMLEscaping.append("é & \u{0085}", to: &appended)
        #expect(String(decoding: appended, as: UTF8.self) == "<Say>é &amp; ")
    }

    @Test func attributesWithMetacharactersSurviveParsing() {
        var weird = SeedAgents.customerSupport
        weird.voice = #"Polly.Joanna" onload="x"#
        weird.language = "en-US'&<>"
        let parsed = ParsedXML.parse(TwiML.hangUp(saying: "Bye", agent: weird).xml)
        #expect(parsed.error == nil)
        #expect(parsed.first("Say")?.attributes == ["voice": #"Polly.Joanna" onload="x"#, "language": "en-US'&<>"])
    }

    @Test(arguments: [ApologyReason.badRequest, .unknownCall, .unavailable])
    func apologiesAreSpokenThenHungUp(_ reason: ApologyReason) {
        let parsed = ParsedXML.parse(TwiML.apology(reason).xml)
        #expect(parsed.error == nil)
        #expect(parsed.names == ["Response", "Say", "Hangup"])
        #expect(parsed.first("Say")?.attributes == ["voice": "Polly.Joanna", "language": "en-US"])
        #expect(parsed.first("Say")?.text.hasPrefix("We're sorry") == true)
    }

    @Test func hintsFollowTheFieldBeingAsked() {
        var call = CallScript(agent: SeedAgents.customerSupport)
        call.start()
        #expect(TwiML.hints(for: call.session).isEmpty)
        call.say("Jane Doe")
        #expect(TwiML.hints(for: call.session).contains("dot com"))
        var hindi = CallScript(agent: SeedAgents.hindiSupport)
        hindi.start()
        hindi.say("प्रिया")
        #expect(TwiML.hints(for: hindi.session) == ["$OOV_CLASS_DIGIT_SEQUENCE"])
    }
}
