import Foundation

/// Runs a program to completion by a deadline, or kills it: a handler thread
/// never waits on a child past the webhook's time, and no child outlives it.
enum DeadlineProcess {
    /// Runs `executable` with `arguments`, `input` on its standard input;
    /// returns its exit status. Output and errors are discarded.
    static func run(_ executable: String, arguments: [String], input: [UInt8],
                    deadline: ContinuousClock.Instant) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do {
            try process.run()
        } catch {
            throw SpeechError.engineFailed("cannot start \(executable): \(error)")
        }
        // Lines are far smaller than a pipe's buffer, so this write does not
        // wait on the child; a child that died first gives EPIPE (SIGPIPE is ignored).
        try? stdin.fileHandleForWriting.write(contentsOf: input)
        try? stdin.fileHandleForWriting.close()
        let remaining = max(.zero, deadline - .now)
        let nanoseconds = remaining.components.seconds * 1_000_000_000 + remaining.components.attoseconds / 1_000_000_000
        if exited.wait(timeout: .now() + .nanoseconds(Int(nanoseconds))) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            exited.wait()
            throw SpeechError.deadlinePassed
        }
        return process.terminationStatus
    }

    /// `command` as an absolute path: itself when it has a slash, else the
    /// first executable of that name in PATH.
    static func resolve(_ command: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        if command.contains("/") { return FileManager.default.isExecutableFile(atPath: command) ? command : nil }
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(command)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
