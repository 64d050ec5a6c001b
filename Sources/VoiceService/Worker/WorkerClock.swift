import Foundation

/// The time and the chance the worker acts on: the system's in production;
/// tests substitute both, so retry timing is checked without waiting.
public struct WorkerClock: Sendable {
    /// Seconds since 1970.
    public var now: @Sendable () -> Double
    /// A uniform random value in 0...1, drawn for each retry's jitter.
    public var jitter: @Sendable () -> Double

    public init(now: @escaping @Sendable () -> Double, jitter: @escaping @Sendable () -> Double) {
        self.now = now
        self.jitter = jitter
    }

    /// The system clock and the system's random numbers.
    public static let system = WorkerClock(now: { Date().timeIntervalSince1970 }, jitter: { Double.random(in: 0...1) })
}
