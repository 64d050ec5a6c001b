import CryptoCore
import Foundation

/// The key mixed into the names of synthesized files: `TTS_SECRET`, else a
/// random key kept in a file that the first process to need it creates.
enum SpeechSecret {
    static func load(configured: String?, keyFile: String) throws -> [UInt8] {
        if let configured, !configured.isEmpty { return Array(configured.utf8) }
        if let existing = read(keyFile) { return existing }
        // Written aside, then linked into place: link() never replaces a file, so
        // processes starting together all end up with the first one's key.
        let temporary = keyFile + ".tmp-" + SecureRandom.hexString(byteCount: 8)
        defer { unlink(temporary) }
        let key = SecureRandom.hexString(byteCount: 32)
        guard FileManager.default.createFile(atPath: temporary, contents: Data(key.utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw SpeechError.engineFailed("cannot write the TTS key file \(keyFile) (or set TTS_SECRET)")
        }
        _ = link(temporary, keyFile)
        guard let stored = read(keyFile) else {
            throw SpeechError.engineFailed("cannot read the TTS key file \(keyFile) (or set TTS_SECRET)")
        }
        return stored
    }

    private static func read(_ file: String) -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: file), data.count >= 32 else { return nil }
        return Array(data)
    }
}
