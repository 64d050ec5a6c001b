import AWS
import Foundation

/// How many jobs the worker runs at once. It grows by about one per round of
/// successes and halves (at most once a second) when AWS shows overload:
/// throttling, timeouts, 5xx, dropped connections. The AWS SDKs' adaptive
/// retry mode and TCP's congestion control follow the same rule: when the
/// service slows, send less at once instead of piling up timeouts.
final class AdaptiveLimit: @unchecked Sendable {
    // @unchecked: every field is guarded by `condition`.
    enum Outcome {
        case success
        /// The upstream is overloaded or slow: send less.
        case overloaded
        /// Failed for a reason that says nothing about load (a missing recording).
        case failed
    }

    private let condition = NSCondition()
    private let maximum: Double
    private var limit: Double
    private var running = 0
    private let clock: @Sendable () -> ContinuousClock.Instant
    private var lastDecrease: ContinuousClock.Instant

    init(initial: Int, maximum: Int, clock: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.maximum = Double(max(1, maximum))
        self.clock = clock
        limit = Double(min(max(1, initial), max(1, maximum)))
        lastDecrease = clock() - .seconds(10)
    }

    var current: Int {
        condition.lock()
        defer { condition.unlock() }
        return Int(limit)
    }

    /// Waits for a free slot; false when `stopping` says to give up.
    func acquire(stopping: () -> Bool) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while running >= Int(limit) {
            if stopping() { return false }
            _ = condition.wait(until: Date().addingTimeInterval(0.2))
        }
        running += 1
        return true
    }

    func release(_ outcome: Outcome) {
        condition.lock()
        defer { condition.unlock() }
        running -= 1
        switch outcome {
        case .success:
            limit = min(maximum, limit + 1 / limit)
        case .overloaded:
            let now = clock()
            if now - lastDecrease >= .seconds(1) {
                limit = max(1, limit / 2)
                lastDecrease = now
            }
        case .failed:
            break
        }
        condition.broadcast()
    }

    /// Wakes waiters (the worker is stopping).
    func wakeAll() {
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }

    /// Whether a job's failure tells of an overloaded or unreachable upstream.
    static func outcome(of error: any Error) -> Outcome {
        switch error {
        case let error as DynamoDBError:
            switch error {
            case .throttling, .transport, .deadlineExceeded: return .overloaded
            case .other(let status, _, _) where status >= 500: return .overloaded
            default: return .failed
            }
        default:
            return .failed
        }
    }
}
