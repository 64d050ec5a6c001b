import Foundation
import Logging
import Testing
import Voice
@testable import VoiceService

/// A stand-in engine: writes a short WAV, fails, or is still working at its deadline.
final class FakeSynthesizer: SpeechSynthesizer, @unchecked Sendable {
    enum Behaviour { case writes, fails, missesDeadline }
    let engine = "fake"
    let behaviour: Behaviour
    private let lock = NSLock()
    private var _calls = 0
    private var _deadlines: [ContinuousClock.Instant] = []
    var calls: Int { lock.withLock { _calls } }
    /// The deadline of each synthesis asked for.
    var deadlines: [ContinuousClock.Instant] { lock.withLock { _deadlines } }

    init(_ behaviour: Behaviour) {
        self.behaviour = behaviour
    }

    func voice(forLanguage language: String) -> String { language.lowercased() }

    func synthesize(_ text: String, voice: String, sampleRate: Int, to destination: String,
                    deadline: ContinuousClock.Instant) throws {
        lock.withLock { _calls += 1; _deadlines.append(deadline) }
        switch behaviour {
        case .writes:
            _ = FileManager.default.createFile(atPath: destination, contents: Data(PCMAudio(sampleRate: sampleRate, samples: [1, 2, 3]).wav))
        case .fails:
            _ = FileManager.default.createFile(atPath: destination, contents: Data("half".utf8))
            throw SpeechError.engineFailed("exit status 1")
        case .missesDeadline:
            _ = FileManager.default.createFile(atPath: destination, contents: Data("half".utf8))
            throw SpeechError.deadlinePassed
        }
    }
}

@Suite("Local speech: the cache and the Say-or-Play decision")
struct LocalSpeechTests {
    let directory: String
    let logger = Logger(label: "test")

    init() throws {
        directory = NSTemporaryDirectory() + "tts-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func speech(_ synthesizer: FakeSynthesizer, timeout: Duration = .seconds(2)) -> LocalSpeech {
        LocalSpeech(synthesizer: synthesizer, cache: SpeechCache(directory: directory, secret: [1, 2, 3], lifetime: 300),
                    sampleRate: 8000, timeout: timeout, baseURL: "https://voice.example/tts/")
    }

    var files: [String] { (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] }
    var later: ContinuousClock.Instant { .now + .seconds(5) }

    @Test func aLineIsSynthesizedOnceThenPlayedFromTheCache() throws {
        let engine = FakeSynthesizer(.writes)
        let speech = speech(engine)
        let line = TwiML.Say("Hello there", language: "en-US")
        guard case .play(let url) = speech.decide(line, deadline: later, logger: logger) else {
            Issue.record("not played"); return
        }
        let name = try #require(url.split(separator: "/").last.map(String.init))
        #expect(url == "https://voice.example/tts/" + name)
        #expect(files == [name])
        #expect(speech.decide(line, deadline: later, logger: logger) == .play(url))
        #expect(engine.calls == 1)
        // Another line is another file.
        #expect(speech.decide(TwiML.Say("Goodbye", language: "en-US"), deadline: later, logger: logger) != .play(url))
        #expect(files.count == 2 && files.allSatisfy(SpeechFileName.isValid))
    }

    @Test func aLineNotReadyInTimeIsSaidAndLeavesNoFile() {
        for behaviour in [FakeSynthesizer.Behaviour.missesDeadline, .fails] {
            let engine = FakeSynthesizer(behaviour)
            guard case .say(let reason) = speech(engine).decide(TwiML.Say("Hello"), deadline: later, logger: logger) else {
                Issue.record("played"); continue
            }
            #expect(reason == (behaviour == .fails ? "the engine failed: exit status 1" : "synthesis missed its deadline"))
            #expect(files.isEmpty)
        }
    }

    @Test func noTimeLeftBeforeTheWebhooksDeadlineMeansSayWithoutTrying() {
        let engine = FakeSynthesizer(.writes)
        let decision = speech(engine).decide(TwiML.Say("Hello"), deadline: .now + .milliseconds(50), logger: logger)
        #expect(decision == .say(because: "no time left before the webhook's deadline"))
        #expect(engine.calls == 0)
    }

    @Test func theEngineGetsTheEarlierOfItsTimeoutAndTheWebhooksDeadline() throws {
        let engine = FakeSynthesizer(.writes)
        let asked = ContinuousClock.now
        _ = speech(engine, timeout: .milliseconds(300)).decide(TwiML.Say("One"), deadline: later, logger: logger)
        let webhookDue = ContinuousClock.now + .milliseconds(600)
        _ = speech(engine, timeout: .seconds(5)).decide(TwiML.Say("Two"), deadline: webhookDue, logger: logger)
        let deadlines = engine.deadlines
        try #require(deadlines.count == 2)
        #expect(deadlines[0] <= ContinuousClock.now + .milliseconds(300) && deadlines[0] > asked)
        // Time is kept back to send the answer.
        #expect(deadlines[1] == webhookDue - LocalSpeech.answerMargin)
    }

    @Test func aCachedLineIsPlayedEvenWithNoTimeLeft() {
        let speech = speech(FakeSynthesizer(.writes))
        let first = speech.decide(TwiML.Say("Hello"), deadline: later, logger: logger)
        #expect(speech.decide(TwiML.Say("Hello"), deadline: .now, logger: logger) == first)
    }

    @Test func theDocumentKeepsSayForTheLinesThatCouldNotBePlayed() {
        let document = TwiML([.gather(TwiML.Gather(action: "https://x/turn", prompts: [.say(TwiML.Say("Hello"))])), .hangup])
        let xml = speech(FakeSynthesizer(.missesDeadline)).speak(document, deadline: later, logger: logger).xml
        #expect(xml.contains("<Say>Hello</Say>") && !xml.contains("<Play>"))
        let played = speech(FakeSynthesizer(.writes)).speak(document, deadline: later, logger: logger).xml
        #expect(played.contains("<Play>https://voice.example/tts/") && !played.contains("<Say>"))
    }

    @Test func theSweepRemovesOnlyExpiredSpeechFiles() throws {
        let now = Date()
        let old = String(repeating: "a", count: 64) + ".wav", recent = String(repeating: "b", count: 64) + ".wav"
        let leftover = ".tmp-0011223344556677.wav", other = "keep.txt"
        for name in [old, recent, leftover, other] {
            _ = FileManager.default.createFile(atPath: directory + "/" + name, contents: Data())
            let age: TimeInterval = name == recent ? 10 : 400
            try FileManager.default.setAttributes([.modificationDate: now.addingTimeInterval(-age)],
                                                  ofItemAtPath: directory + "/" + name)
        }
        #expect(SpeechFileSweep(directory: directory, lifetime: 300).run(now: now) == 2)
        #expect(Set(files) == [recent, other])
    }

    @Test func aProcessPastItsDeadlineIsKilled() throws {
        let started = ContinuousClock.now
        #expect(throws: SpeechError.deadlinePassed) {
            _ = try DeadlineProcess.run("/bin/sleep", arguments: ["30"], input: [], deadline: .now + .milliseconds(100))
        }
        #expect(ContinuousClock.now - started < .seconds(20))
        #expect(try DeadlineProcess.run("/bin/sh", arguments: ["-c", "read line; test \"$line\" = hi"],
                                        input: Array("hi\n".utf8), deadline: .now + .seconds(10)) == 0)
    }
}
