import Foundation

/// Where log lines go: a file descriptor written with one `write` per line under a
/// lock, so lines from concurrent threads never interleave.
public final class LogSink: @unchecked Sendable {
    // @unchecked: `lock` guards every write to `descriptor`.
    private let descriptor: Int32
    private let lock = NSLock()

    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Supervisord captures stdout into `$VAR_DIR/log/<name>.log`.
    public static let standardOutput = LogSink(descriptor: 1)
    public static let standardError = LogSink(descriptor: 2)

    public func write(_ line: String) {
        var bytes = Array(line.utf8)
        lock.lock()
        defer { lock.unlock() }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { raw in
                Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}
