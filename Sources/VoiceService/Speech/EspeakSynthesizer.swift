import Foundation
import Voice

/// espeak-ng from Debian: formant synthesis, robotic but instant, in every
/// language an agent may speak. It writes 22050 Hz; we resample to the
/// configured rate in-process (no second program to wait on).
public struct EspeakSynthesizer: SpeechSynthesizer {
    public let engine = "espeak-ng"
    /// The executable's absolute path.
    let executable: String

    public init(executable: String) {
        self.executable = executable
    }

    public func voice(forLanguage language: String) -> String {
        EspeakVoice.forLanguage(language)
    }

    public func synthesize(_ text: String, voice: String, sampleRate: Int, to destination: String,
                           deadline: ContinuousClock.Instant) throws {
        let raw = destination + ".espeak"
        defer { unlink(raw) }
        // The text goes on standard input, so a line starting with "-" is never read as an option.
        let status = try DeadlineProcess.run(executable, arguments: ["-v", voice, "-w", raw, "--stdin"],
                                             input: Array(text.utf8), deadline: deadline)
        guard status == 0 else { throw SpeechError.engineFailed("espeak-ng exited with status \(status) (voice \(voice))") }
        guard let bytes = FileManager.default.contents(atPath: raw) else {
            throw SpeechError.badOutput("espeak-ng wrote no file")
        }
        let audio: PCMAudio
        do {
            audio = try PCMAudio(wav: Array(bytes))
        } catch {
            throw SpeechError.badOutput("\(error)")
        }
        guard !audio.samples.isEmpty else { throw SpeechError.badOutput("no samples") }
        guard FileManager.default.createFile(atPath: destination, contents: Data(audio.resampled(to: sampleRate).wav)) else {
            throw SpeechError.badOutput("cannot write \(destination)")
        }
    }
}
