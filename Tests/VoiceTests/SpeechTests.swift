import Foundation
import Testing
import Voice

@Suite("Local speech: file names, audio, TwiML")
struct SpeechTests {
    let secret = Array("deployment-secret".utf8)

    func name(secret: [UInt8]? = nil, engine: String = "espeak-ng", voice: String = "en-us", language: String = "en-US",
              rate: Int = 8000, text: String = "Hello there") -> String {
        SpeechFileName.name(secret: secret ?? self.secret, engine: engine, voice: voice, language: language,
                            sampleRate: rate, text: text)
    }

    @Test func aNameIsAKeyedHashOfEverythingThatShapesTheAudio() {
        let base = name()
        #expect(SpeechFileName.isValid(base))
        #expect(base == name())
        let variants = [name(secret: Array("other".utf8)), name(engine: "xtts"), name(voice: "en-gb"),
                        name(language: "en-GB"), name(rate: 16000), name(text: "Hello there!")]
        #expect(Set(variants + [base]).count == variants.count + 1)
        // Fields cannot run into each other.
        #expect(name(voice: "en-us", language: "x") != name(voice: "en-u", language: "sx"))
    }

    @Test func onlyNamesTheCacheMakesAreValid() {
        let good = String(repeating: "0a", count: 32) + ".wav"
        #expect(SpeechFileName.isValid(good))
        for bad in [good.uppercased(), String(good.dropFirst()), "../" + good, ".tmp-" + good, good + ".wav",
                    String(repeating: "g", count: 64) + ".wav", String(repeating: "a", count: 64) + ".mp3", ""] {
            #expect(!SpeechFileName.isValid(bad), "\(bad)")
        }
    }

    @Test func espeakVoicesFollowTheAgentsLanguage() {
        #expect(EspeakVoice.forLanguage("en-US") == "en-us")
        #expect(EspeakVoice.forLanguage("en-GB") == "en-gb")
        #expect(EspeakVoice.forLanguage("hi-IN") == "hi")
        #expect(EspeakVoice.forLanguage("es-MX") == "es-419")
        #expect(EspeakVoice.forLanguage("pt-BR") == "pt-br")
        #expect(EspeakVoice.forLanguage("fr-FR") == "fr")
        #expect(EspeakVoice.forLanguage("") == "en-us")
    }

    func tone(_ frequency: Double, rate: Int = 22050, seconds: Double = 0.5) -> PCMAudio {
        PCMAudio(sampleRate: rate, samples: (0..<Int(Double(rate) * seconds)).map {
            Int16(10000 * sin(2 * Double.pi * frequency * Double($0) / Double(rate)))
        })
    }

    func rms(_ audio: PCMAudio) -> Double {
        let middle = audio.samples.dropFirst(audio.samples.count / 4).dropLast(audio.samples.count / 4)
        return (middle.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(middle.count)).squareRoot()
    }

    @Test func downsamplingTo8kHzKeepsSpeechAndRemovesWhatThePhoneCannotCarry() {
        let speech = tone(440).resampled(to: 8000)
        #expect(speech.sampleRate == 8000)
        #expect(speech.samples.count == 4000)
        #expect(abs(rms(speech) - 10000 / 2.0.squareRoot()) < 300)
        // 6 kHz is above 8 kHz audio's 4 kHz limit: without the filter it would alias to 2 kHz.
        #expect(rms(tone(6000).resampled(to: 8000)) < 200)
    }

    @Test func wavFilesRoundTripAndOthersAreRefused() throws {
        let audio = PCMAudio(sampleRate: 8000, samples: [0, 1, -1, 32767, -32768])
        let bytes = audio.wav
        #expect(bytes.count == 44 + 10)
        #expect(Array(bytes[0..<4]) == Array("RIFF".utf8) && Array(bytes[8..<12]) == Array("WAVE".utf8))
        #expect(try PCMAudio(wav: bytes) == audio)
        #expect(throws: PCMAudio.FormatError.notWAV) { try PCMAudio(wav: Array("<html></html>".utf8)) }
        var eightBit = bytes
        eightBit[34] = 8
        #expect(throws: PCMAudio.FormatError.self) { try PCMAudio(wav: eightBit) }
    }

    @Test func everySayBecomesWhatTheSpeakerDecidesInGatherToo() {
        let document = TwiML([
            .say(TwiML.Say("First", voice: "Polly.Joanna", language: "en-US")),
            .gather(TwiML.Gather(action: "https://x/turn", prompts: [.say(TwiML.Say("Second")), .pause(seconds: 1)])),
            .redirect(url: "https://x/turn"),
        ])
        var offered: [String] = []
        let spoken = document.speaking { say in
            offered.append(say.text)
            return say.text == "Second" ? .play(url: "https://x/tts/a&b.wav") : .say(say)
        }
        #expect(offered == ["First", "Second"])
        let xml = spoken.xml
        #expect(xml.contains(#"<Say voice="Polly.Joanna" language="en-US">First</Say>"#))
        #expect(xml.contains(#"actionOnEmptyResult="true"><Play>https://x/tts/a&amp;b.wav</Play><Pause length="1"/></Gather>"#))
        #expect(xml.hasSuffix(#"<Redirect method="POST">https://x/turn</Redirect></Response>"#))
    }
}
