/// A TwiML document: the `<Response>` a Twilio voice webhook answers with.
///
/// Built from values and rendered by `xml`; every text and attribute is
/// escaped, so no input can break the document.
public struct TwiML: Sendable, Hashable {
    public var verbs: [Verb]

    public init(_ verbs: [Verb]) {
        self.verbs = verbs
    }

    /// The verbs of a `<Response>` this builder supports.
    public enum Verb: Sendable, Hashable {
        case say(Say)
        /// `<Play>url</Play>`: an audio file Twilio fetches and plays.
        case play(url: String)
        case gather(Gather)
        /// `<Pause length="…"/>`, in seconds.
        case pause(seconds: Int)
        /// `<Redirect method="…">url</Redirect>`.
        case redirect(url: String, method: String = "POST")
        case hangup
        /// `<Dial action timeout>number</Dial>`: put the caller through; Twilio
        /// posts how it ended to `action`.
        case dial(number: String, action: String, timeout: Int)
    }

    /// `<Say voice language>text</Say>`.
    public struct Say: Sendable, Hashable {
        public var text: String
        public var voice: String?
        public var language: String?

        public init(_ text: String, voice: String? = nil, language: String? = nil) {
            self.text = text
            self.voice = voice
            self.language = language
        }
    }

    /// `<Gather input="speech" …>` with the prompts it speaks while listening.
    public struct Gather: Sendable, Hashable {
        /// `input`: `speech`, `dtmf` or `dtmf speech`.
        public var input: String
        /// Where Twilio posts the result.
        public var action: String
        public var method: String
        /// `speechTimeout`: seconds of silence that end speech, or `auto`.
        public var speechTimeout: String
        /// `timeout`: seconds to wait for the caller to start.
        public var timeout: Int
        public var language: String?
        /// `hints`: words and phrases the recogniser should expect.
        public var hints: [String]
        /// `actionOnEmptyResult`: post to `action` even when nothing was heard,
        /// so silence reaches the engine as a no-input turn.
        public var actionOnEmptyResult: Bool
        /// The `<Say>`, `<Play>` and `<Pause>` verbs nested inside.
        public var prompts: [Verb]
        /// `finishOnKey`: the key that ends typed input (`#`); nil leaves Twilio's default.
        public var finishOnKey: String?

        public init(
            action: String, input: String = "speech", method: String = "POST", speechTimeout: String = "auto",
            timeout: Int = 5, language: String? = nil, hints: [String] = [], actionOnEmptyResult: Bool = true,
            prompts: [Verb] = []
        ) {
            self.input = input
            self.action = action
            self.method = method
            self.speechTimeout = speechTimeout
            self.timeout = timeout
            self.language = language
            self.hints = hints
            self.actionOnEmptyResult = actionOnEmptyResult
            self.prompts = prompts
        }
    }

    /// The document, with its XML declaration.
    public var xml: String { String(decoding: xmlBytes, as: UTF8.self) }

    /// The document as UTF-8, written straight into one buffer.
    public var xmlBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        out += #"<?xml version="1.0" encoding="UTF-8"?><Response>"#.utf8
        for verb in verbs { TwiML.render(verb, into: &out) }
        out += "</Response>".utf8
        return out
    }

    private static func render(_ verb: Verb, into out: inout [UInt8]) {
        switch verb {
        case .say(let say):
            out += "<Say".utf8
            attribute("voice", say.voice, into: &out)
            attribute("language", say.language, into: &out)
            out.append(UInt8(ascii: ">"))
            XMLEscaping.append(say.text, to: &out)
            out += "</Say>".utf8
        case .gather(let gather):
            out += "<Gather".utf8
            attribute("input", gather.input, into: &out)
            attribute("action", gather.action, into: &out)
            attribute("method", gather.method, into: &out)
            attribute("speechTimeout", gather.speechTimeout, into: &out)
            attribute("timeout", String(gather.timeout), into: &out)
            attribute("language", gather.language, into: &out)
            attribute("hints", gather.hints.isEmpty ? nil : gather.hints.joined(separator: ", "), into: &out)
            attribute("actionOnEmptyResult", gather.actionOnEmptyResult ? "true" : "false", into: &out)
            attribute("finishOnKey", gather.finishOnKey, into: &out)
            if gather.prompts.isEmpty {
                out += "/>".utf8
            } else {
                out.append(UInt8(ascii: ">"))
                // Twilio allows only <Say>, <Play> and <Pause> inside <Gather>.
                for prompt in gather.prompts {
                    switch prompt {
                    case .say, .play, .pause: render(prompt, into: &out)
                    case .gather, .redirect, .hangup, .dial: continue
                    }
                }
                out += "</Gather>".utf8
            }
        case .play(let url):
            out += "<Play>".utf8
            XMLEscaping.append(url, to: &out)
            out += "</Play>".utf8
        case .pause(let seconds):
            out += "<Pause length=\"\(max(1, seconds))\"/>".utf8
        case .redirect(let url, let method):
            out += "<Redirect".utf8
            attribute("method", method, into: &out)
            out.append(UInt8(ascii: ">"))
            XMLEscaping.append(url, to: &out)
            out += "</Redirect>".utf8
        case .hangup:
            out += "<Hangup/>".utf8
        case .dial(let number, let action, let timeout):
            out += "<Dial".utf8
            attribute("action", action, into: &out)
            attribute("method", "POST", into: &out)
            attribute("timeout", String(timeout), into: &out)
            out.append(UInt8(ascii: ">"))
            XMLEscaping.append(number, to: &out)
            out += "</Dial>".utf8
        }
    }

    /// ` name="value"`, escaped; nothing when `value` is nil.
    private static func attribute(_ name: StaticString, _ value: String?, into out: inout [UInt8]) {
        guard let value else { return }
        out.append(UInt8(ascii: " "))
        name.withUTF8Buffer { out += $0 }
        out += "=\"".utf8
        XMLEscaping.append(value, to: &out)
        out.append(UInt8(ascii: "\""))
    }
}
