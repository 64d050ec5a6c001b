import Foundation

/// A speech engine on this host: text in, a WAV file out. espeak-ng is the one
/// built in; a better engine is another conformance, chosen by `TTS_ENGINE`.
public protocol SpeechSynthesizer: Sendable {
    /// The engine's name (`TTS_ENGINE`), part of every file name: another
    /// engine never serves this one's files.
    var engine: String { get }

    /// The engine's voice for a line spoken in `language` (BCP 47, the agent's).
    func voice(forLanguage language: String) -> String

    /// Writes `text`, spoken in `voice`, to `destination` as a mono 16-bit PCM
    /// WAV file at `sampleRate` Hz, or throws. Gives up (and leaves nothing
    /// running) at `deadline`, throwing `SpeechError.deadlinePassed`.
    func synthesize(_ text: String, voice: String, sampleRate: Int, to destination: String,
                    deadline: ContinuousClock.Instant) throws
}

public enum SpeechError: Error, CustomStringConvertible, Equatable {
    case deadlinePassed
    case engineFailed(String)
    case badOutput(String)

    public var description: String {
        switch self {
        case .deadlinePassed: "synthesis missed its deadline"
        case .engineFailed(let detail): "the engine failed: \(detail)"
        case .badOutput(let detail): "the engine's output is unusable: \(detail)"
        }
    }
}
