import Foundation

/// Local speech synthesis: the agent's lines are spoken by an engine on this
/// host into WAV files that nginx serves under `/tts/`, and answered with
/// `<Play>` instead of Twilio's `<Say>`. The names, and the defaults of
/// `TTS_SAMPLE_RATE` and `TTS_CLEANUP_DELAY`, are the original system's.
public struct TTSSettings: Sendable {
    /// The engines this build can run. The original offered `xtts` and `melo`
    /// (Python models); espeak-ng is the one every Debian machine has.
    public enum Engine: String, Sendable, CaseIterable {
        case espeakNG = "espeak-ng"
    }

    /// `USE_LOCAL_TTS`: speak with `<Play>` of our own files (off: `<Say>`).
    public var enabled: Bool
    /// `TTS_ENGINE`.
    public var engine: Engine
    /// `TTS_OUTPUT_DIR`: where the files are written; nginx serves it read-only.
    public var outputDirectory: String
    /// `TTS_SAMPLE_RATE`: Hz of the files (Twilio plays phone audio at 8000).
    public var sampleRate: Int
    /// `TTS_CLEANUP_DELAY`: seconds a file is kept after its last use; the worker removes older ones.
    public var cleanupDelaySeconds: Int
    /// `TTS_TIMEOUT_MS`: the most one line's synthesis may take (never past the
    /// webhook's deadline); a line not ready by then is spoken with `<Say>`.
    public var timeoutMilliseconds: Int
    /// `TTS_ESPEAK_COMMAND`: the espeak-ng executable (a name looked up in PATH, or a path).
    public var espeakCommand: String
    /// `TTS_SECRET`: mixed into every file name so that nobody can confirm a
    /// guessed sentence by fetching its name. Unset: a random key kept in
    /// `$VAR_DIR/tts.key`, made by the first process that needs it.
    public var secret: String?
    /// Where the generated key lives when `TTS_SECRET` is unset.
    public var keyFile: String

    static func load(_ env: Environment, varDirectory: String) throws -> TTSSettings {
        TTSSettings(
            enabled: try env.bool("USE_LOCAL_TTS", default: false),
            engine: try env.choice("TTS_ENGINE", default: Engine.espeakNG),
            outputDirectory: env.string("TTS_OUTPUT_DIR", default: varDirectory + "/tts_output"),
            sampleRate: try env.int("TTS_SAMPLE_RATE", default: 8000, in: 8000...22050),
            cleanupDelaySeconds: try env.int("TTS_CLEANUP_DELAY", default: 300, in: 1...(7 * 86400)),
            timeoutMilliseconds: try env.int("TTS_TIMEOUT_MS", default: 1500, in: 1...14000),
            espeakCommand: env.string("TTS_ESPEAK_COMMAND", default: "espeak-ng"),
            secret: env["TTS_SECRET"],
            keyFile: varDirectory + "/tts.key")
    }
}
