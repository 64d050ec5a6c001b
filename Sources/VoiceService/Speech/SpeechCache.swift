import CryptoCore
import Foundation
import Voice

/// The synthesized lines on disk (`TTS_OUTPUT_DIR`), shared by every process
/// of the host and served by nginx under `/tts/<name>`.
///
/// A file appears whole or not at all (written under a temporary name, then
/// renamed), so nginx never serves half of one while another process writes
/// it. A hit costs a `stat`; a file used again after half its lifetime has its
/// time renewed, so the cleanup never removes a line a call is about to play.
public struct SpeechCache: Sendable {
    public let directory: String
    let secret: [UInt8]
    /// `TTS_CLEANUP_DELAY`, seconds.
    let lifetime: Int

    public init(directory: String, secret: [UInt8], lifetime: Int) {
        self.directory = directory
        self.secret = secret
        self.lifetime = lifetime
    }

    /// Temporary files start with this; nginx serves only finished names.
    static let temporaryPrefix = ".tmp-"

    public func name(engine: String, voice: String, language: String, sampleRate: Int, text: String) -> String {
        SpeechFileName.name(secret: secret, engine: engine, voice: voice, language: language,
                            sampleRate: sampleRate, text: text)
    }

    /// Whether `name` is on disk, ready to play (its time renewed when old).
    public func contains(_ name: String, now: Date = Date()) -> Bool {
        var info = stat()
        guard stat(path(name), &info) == 0 else { return false }
        let age = now.timeIntervalSince1970 - Double(info.st_mtim.tv_sec)
        if age > Double(lifetime) / 2 { utime(path(name), nil) }
        return true
    }

    /// Stores a file under `name`: `write` gets a temporary path to fill, which
    /// is renamed to `name` only when `write` returns. A concurrent writer of
    /// the same name is harmless: both files hold the same line.
    public func store(_ name: String, write: (String) throws -> Void) throws {
        let temporary = path(Self.temporaryPrefix + SecureRandom.hexString(byteCount: 8) + SpeechFileName.suffix)
        defer { unlink(temporary) }
        try write(temporary)
        chmod(temporary, 0o644)  // nginx's workers read it
        guard rename(temporary, path(name)) == 0 else {
            throw SpeechError.badOutput("cannot rename into \(directory): \(String(cString: strerror(errno)))")
        }
    }

    func path(_ name: String) -> String {
        directory + "/" + name
    }
}
