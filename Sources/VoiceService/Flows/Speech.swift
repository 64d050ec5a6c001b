import Common
import Foundation
import Voice

extension VoiceRuntime {
    /// The answer as the caller hears it: with `USE_LOCAL_TTS=true`, each of
    /// the agent's lines a `<Play>` of our own file where it is ready in time,
    /// a `<Say>` otherwise. Called after the turn's commit, by the webhook's
    /// deadline (the LLM turn's, when an LLM answers).
    func spoken(_ document: TwiML, context: RequestContext) -> TwiML {
        guard let speech else { return document }
        return speech.speak(document, deadline: turnDeadline(context).instant, logger: context.logger)
    }

    /// The local speech of `config`, or nil when it is off or there is no
    /// public URL for Twilio to fetch the files from. A missing engine or an
    /// unwritable folder stops the process at start, naming the setting.
    static func localSpeech(_ config: AppConfig) throws -> LocalSpeech? {
        let settings = config.tts
        guard settings.enabled, let publicURL = config.voice.publicURL else { return nil }
        let synthesizer: any SpeechSynthesizer
        switch settings.engine {
        case .espeakNG:
            guard let executable = DeadlineProcess.resolve(settings.espeakCommand) else {
                throw ConfigError.invalid(variable: "TTS_ESPEAK_COMMAND", value: settings.espeakCommand,
                                          expected: "an espeak-ng executable (apt-get install espeak-ng)")
            }
            synthesizer = EspeakSynthesizer(executable: executable)
        }
        do {
            try FileManager.default.createDirectory(atPath: settings.outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw ConfigError.invalid(variable: "TTS_OUTPUT_DIR", value: settings.outputDirectory,
                                      expected: "a folder this process can create and write (\(error))")
        }
        let secret = try SpeechSecret.load(configured: settings.secret, keyFile: settings.keyFile)
        return LocalSpeech(synthesizer: synthesizer,
                           cache: SpeechCache(directory: settings.outputDirectory, secret: secret,
                                              lifetime: settings.cleanupDelaySeconds),
                           sampleRate: settings.sampleRate, timeout: .milliseconds(settings.timeoutMilliseconds),
                           baseURL: publicURL + "/tts/")
    }
}
