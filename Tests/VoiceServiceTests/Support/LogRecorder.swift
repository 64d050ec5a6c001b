import Foundation
import Logging

/// Keeps every line logged through `logger`, for tests that check what an
/// operator would see.
final class LogRecorder: @unchecked Sendable {
    // @unchecked: `entries` is guarded by `lock`.
    struct Entry: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: Logger.Metadata
    }

    private let lock = NSLock()
    private var entries: [Entry] = []

    var lines: [Entry] { lock.withLock { entries } }

    var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(recorder: self) }
        logger.logLevel = .trace
        return logger
    }

    fileprivate func append(_ entry: Entry) {
        lock.withLock { entries.append(entry) }
    }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            recorder.append(Entry(level: event.level, message: event.message.description,
                                  metadata: metadata.merging(event.metadata ?? [:]) { _, new in new }))
        }
    }
}
