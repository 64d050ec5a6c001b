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
        /// The `<Say>` and `<Pause>` verbs nested inside.
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
    public var xml: String {
        var out = #"<?xml version="1.0" encoding="UTF-8"?><Response>"#
        for verb in verbs { TwiML.render(verb, into: &out) }
        out += "</Response>"
        return out
    }

    private static func render(_ verb: Verb, into out: inout String) {
        switch verb {
        case .say(let say):
            out += "<Say" + attributes([("voice", say.voice), ("language", say.language)]) + ">"
            out += XMLEscaping.escape(say.text) + "</Say>"
        case .gather(let gather):
            let hints = gather.hints.isEmpty ? nil : gather.hints.joined(separator: ", ")
            out += "<Gather" + attributes([
                ("input", gather.input), ("action", gather.action), ("method", gather.method),
                ("speechTimeout", gather.speechTimeout), ("timeout", String(gather.timeout)),
                ("language", gather.language), ("hints", hints),
                ("actionOnEmptyResult", gather.actionOnEmptyResult ? "true" : "false"),
                ("finishOnKey", gather.finishOnKey),
            ])
            if gather.prompts.isEmpty {
                out += "/>"
            } else {
                out += ">"
                // Twilio allows only <Say>, <Play> and <Pause> inside <Gather>.
                for prompt in gather.prompts {
                    switch prompt {
                    case .say, .pause: render(prompt, into: &out)
                    case .gather, .redirect, .hangup, .dial: continue
                    }
                }
                out += "</Gather>"
            }
        case .pause(let seconds):
            out += "<Pause length=\"\(max(1, seconds))\"/>"
        case .redirect(let url, let method):
            out += "<Redirect" + attributes([("method", method)]) + ">" + XMLEscaping.escape(url) + "</Redirect>"
        case .hangup:
            out += "<Hangup/>"
        case .dial(let number, let action, let timeout):
            out += "<Dial" + attributes([("action", action), ("method", "POST"), ("timeout", String(timeout))]) + ">"
            out += XMLEscaping.escape(number) + "</Dial>"
        }
    }

    private static func attributes(_ pairs: [(String, String?)]) -> String {
        var out = ""
        for (name, value) in pairs {
            guard let value else { continue }
            out += " " + name + "=\"" + XMLEscaping.escape(value) + "\""
        }
        return out
    }
}
