import Foundation
import Logging
import Voice

/// Decides, line by line, whether the agent speaks with `<Play>` of a file
/// synthesized here or with Twilio's `<Say>` (`USE_LOCAL_TTS`).
///
/// A line plays when its file is cached, or when the engine makes it within
/// `TTS_TIMEOUT_MS` and before the webhook is due; otherwise it is said, and
/// a log line says why. Runs after the turn's commit, outside any SessionDB
/// transaction: synthesis is slow work.
public struct LocalSpeech: Sendable {
    let synthesizer: any SpeechSynthesizer
    public let cache: SpeechCache
    let sampleRate: Int
    /// `TTS_TIMEOUT_MS`.
    let timeout: Duration
    /// Where Twilio fetches the files: `PUBLIC_URL/tts/`.
    let baseURL: String

    /// Time kept back from the webhook's deadline to render and send the answer.
    static let answerMargin: Duration = .milliseconds(100)
    /// Lines longer than this are said: their synthesis would not fit a turn.
    static let longestLine = 2000

    public init(synthesizer: any SpeechSynthesizer, cache: SpeechCache, sampleRate: Int, timeout: Duration,
                baseURL: String) {
        self.synthesizer = synthesizer
        self.cache = cache
        self.sampleRate = sampleRate
        self.timeout = timeout
        self.baseURL = baseURL
    }

    public enum Decision: Sendable, Equatable {
        /// `<Play>` this URL.
        case play(String)
        /// `<Say>` the line, for this reason.
        case say(because: String)
    }

    /// The document with each line played when it can be, said otherwise.
    public func speak(_ document: TwiML, deadline: ContinuousClock.Instant, logger: Logger) -> TwiML {
        document.speaking { say in
            switch decide(say, deadline: deadline, logger: logger) {
            case .play(let url):
                return .play(url: url)
            case .say(let reason):
                logger.warning("line spoken with <Say> instead of local speech", metadata: ["reason": "\(reason)"])
                return .say(say)
            }
        }
    }

    /// `<Play>` or `<Say>` for one line, synthesizing it when it is not cached.
    public func decide(_ line: TwiML.Say, deadline: ContinuousClock.Instant, logger: Logger) -> Decision {
        let text = line.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return .say(because: "nothing to synthesize") }
        guard text.count <= Self.longestLine else { return .say(because: "the line is over \(Self.longestLine) characters") }
        let language = line.language ?? "en-US"
        let voice = synthesizer.voice(forLanguage: language)
        let name = cache.name(engine: synthesizer.engine, voice: voice, language: language, sampleRate: sampleRate,
                              text: text)
        if cache.contains(name) { return .play(baseURL + name) }

        let started = ContinuousClock.now
        let due = min(started + timeout, deadline - Self.answerMargin)
        guard due > started else { return .say(because: "no time left before the webhook's deadline") }
        do {
            try cache.store(name) { temporary in
                try synthesizer.synthesize(text, voice: voice, sampleRate: sampleRate, to: temporary, deadline: due)
            }
        } catch {
            return .say(because: "\(error)")
        }
        logger.info("line synthesized", metadata: [
            "engine": "\(synthesizer.engine)", "voice": "\(voice)", "characters": "\(text.count)",
            "synthesis_ms": "\((ContinuousClock.now - started) / .milliseconds(1))",
        ])
        return .play(baseURL + name)
    }
}
