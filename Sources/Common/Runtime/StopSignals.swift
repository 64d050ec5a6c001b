import Foundation

/// SIGTERM and SIGINT, delivered to one waiting thread instead of interrupting
/// whichever thread happens to run. `block()` must come before any thread is
/// started, so every thread inherits the mask; SIGPIPE is ignored too (a peer
/// that hangs up is an error return, not the end of the process).
public struct StopSignals {
    private var set = sigset_t()

    public static func block() -> StopSignals {
        var signals = StopSignals()
        sigemptyset(&signals.set)
        sigaddset(&signals.set, SIGTERM)
        sigaddset(&signals.set, SIGINT)
        pthread_sigmask(SIG_BLOCK, &signals.set, nil)
        signal(SIGPIPE, SIG_IGN)
        return signals
    }

    /// Waits for SIGTERM or SIGINT; returns which one arrived.
    public func wait() -> Int32 {
        var pending = set
        var received: Int32 = 0
        sigwait(&pending, &received)
        return received
    }
}
