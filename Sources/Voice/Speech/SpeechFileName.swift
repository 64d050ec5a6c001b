import CryptoCore

/// The name of a synthesized line's file: HMAC-SHA256, under the deployment's
/// secret, of everything that shapes the audio, in hex, plus `.wav`.
///
/// The same line in the same voice is the same file (the cache), and a name
/// tells nothing about its words: without the secret nobody can confirm a
/// guessed sentence by fetching its name, though the files are public.
public enum SpeechFileName {
    public static let suffix = ".wav"

    public static func name(secret: [UInt8], engine: String, voice: String, language: String, sampleRate: Int,
                            text: String) -> String {
        // Length-prefixed fields: no two different inputs share a message.
        var message: [UInt8] = []
        for field in [engine, voice, language, String(sampleRate), text] {
            let bytes = Array(field.utf8)
            message += Array(String(bytes.count).utf8) + [0x3a] + bytes
        }
        return Hex.encode(HMAC.sha256(key: secret, message: message)) + suffix
    }

    /// Whether `name` is one this cache makes: 64 lowercase hex digits and `.wav`
    /// (what nginx serves under `/tts/`, and all the worker's cleanup removes).
    public static func isValid(_ name: String) -> Bool {
        guard name.hasSuffix(suffix) else { return false }
        let stem = name.utf8.dropLast(suffix.utf8.count)
        return stem.count == 64 && stem.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
