import Foundation

/// A lookup started on a thread of `LookupThreads`, which its caller may stop
/// waiting for and come back to later. A request that gives up waiting for DynamoDB
/// leaves the request running instead of abandoning it and asking again: under
/// a slow DynamoDB that would double the load on it.
final class PendingLookup<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `result` is only touched with `condition` held.
    private let condition = NSCondition()
    private var result: Result<Value, any Error>?

    /// Starts `work` now, on a thread of `threads`.
    init(on threads: LookupThreads = .shared, _ work: @escaping @Sendable () throws -> Value) {
        threads.run { [self] in
            let outcome = Result { try work() }
            condition.lock()
            result = outcome
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The lookup's result once it has ended, or nil when `deadline` comes first.
    func wait(until deadline: ContinuousClock.Instant) -> Result<Value, any Error>? {
        let wallDeadline = Date() + max(.zero, deadline - .now) / .seconds(1)
        condition.lock()
        defer { condition.unlock() }
        while result == nil, condition.wait(until: wallDeadline) {}
        return result
    }
}
