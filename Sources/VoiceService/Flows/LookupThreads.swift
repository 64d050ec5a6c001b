import Foundation

/// Threads kept for lookups that requests start and may stop waiting for.
///
/// A lookup takes an idle thread, or a new one while fewer than `maximum` exist,
/// so a slow lookup never holds up another. A thread that has been idle for
/// `idleLifetime` ends. Keeping threads matters beyond the cost of creating
/// them: each thread has its own HTTP client handle, whose connections
/// (TCP and TLS to DynamoDB) the next lookup on that thread reuses.
final class LookupThreads: @unchecked Sendable {
    // @unchecked: every stored var is only touched with `condition` held.
    static let shared = LookupThreads(maximum: 256, idleLifetime: .seconds(60))

    private let maximum: Int
    private let idleLifetime: Duration
    private let condition = NSCondition()
    private var queue: [@Sendable () -> Void] = []
    private var threads = 0
    private var idle = 0
    private var started = 0

    init(maximum: Int, idleLifetime: Duration) {
        precondition(maximum > 0, "a pool needs at least one thread")
        self.maximum = maximum
        self.idleLifetime = idleLifetime
    }

    /// Runs `work` on a kept thread: at once when one is idle or another may be
    /// started, else as soon as one is free.
    func run(_ work: @escaping @Sendable () -> Void) {
        condition.lock()
        queue.append(work)
        let startsOne = queue.count > idle && threads < maximum
        if startsOne {
            threads += 1
            started += 1
        }
        condition.signal()
        condition.unlock()
        if startsOne {
            let thread = Thread { [self] in serve() }
            thread.stackSize = 512 << 10
            thread.name = "lookup"
            thread.start()
        }
    }

    struct Counts: Equatable {
        var alive: Int
        var idle: Int
        var queued: Int
        /// Threads ever started.
        var started: Int
    }

    var counts: Counts {
        condition.lock()
        defer { condition.unlock() }
        return Counts(alive: threads, idle: idle, queued: queue.count, started: started)
    }

    private func serve() {
        condition.lock()
        while true {
            if queue.isEmpty {
                idle += 1
                let until = Date() + idleLifetime / .seconds(1)
                while queue.isEmpty, condition.wait(until: until) {}
                idle -= 1
                if queue.isEmpty {
                    threads -= 1
                    condition.unlock()
                    return
                }
            }
            let work = queue.removeFirst()
            condition.unlock()
            work()
            condition.lock()
        }
    }
}
