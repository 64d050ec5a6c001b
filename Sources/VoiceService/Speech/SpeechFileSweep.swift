import Foundation
import Voice

/// The worker's cleanup of `TTS_OUTPUT_DIR`: files not used for
/// `TTS_CLEANUP_DELAY` seconds go, and so do temporary files left by a
/// process that died while writing. Nothing else in the folder is touched.
public struct SpeechFileSweep: Sendable {
    public let directory: String
    /// `TTS_CLEANUP_DELAY`, seconds.
    public let lifetime: Int

    public init(directory: String, lifetime: Int) {
        self.directory = directory
        self.lifetime = lifetime
    }

    /// How often the worker runs it.
    public var interval: Double { max(1, min(60, Double(lifetime) / 2)) }

    /// Removes what expired at `now`; returns how many files went.
    @discardableResult
    public func run(now: Date = Date()) -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return 0 }
        var removed = 0
        for name in names where SpeechFileName.isValid(name) || name.hasPrefix(SpeechCache.temporaryPrefix) {
            let path = directory + "/" + name
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            if now.timeIntervalSince1970 - Double(info.st_mtim.tv_sec) >= Double(lifetime), unlink(path) == 0 {
                removed += 1
            }
        }
        return removed
    }
}
