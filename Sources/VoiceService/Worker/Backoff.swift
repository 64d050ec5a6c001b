/// When a failed job is tried again: exponential from `base`, capped, with
/// jitter so jobs that failed together (an outage) do not return together.
public struct Backoff: Sendable {
    public var base: Double
    public var cap: Double

    public init(base: Double = 1, cap: Double = 300) {
        self.base = base
        self.cap = cap
    }

    /// Seconds to wait after the `attempts`-th failure (1 = first failure);
    /// `unit` is a random value in 0...1.
    public func delay(afterAttempts attempts: Int, unit: Double) -> Double {
        let exponent = Double(min(max(attempts - 1, 0), 30))
        let ceiling = min(cap, base * pow2(exponent))
        // Half fixed, half random: never immediately, never all at once.
        return ceiling * (0.5 + 0.5 * unit)
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        for _ in 0..<Int(exponent) { value *= 2 }
        return value
    }
}

/// Whether a failing job deserves an error line now: after it has failed for
/// five minutes, then once an hour (every failure is logged at warning level).
public func shouldAlert(firstFailureAt: Double?, lastAlertAt: Double?, now: Double) -> Bool {
    guard let firstFailureAt else { return false }
    if let lastAlertAt { return now - lastAlertAt >= 3600 }
    return now - firstFailureAt >= 300
}
