import Foundation

/// The instant by which a request must be answered, counted from the moment
/// nginx received it (the `REQUEST_START` parameter, nginx's `$msec`), so the
/// time a request spent queued for a free thread is already spent.
public struct Deadline: Sendable {
    public let instant: ContinuousClock.Instant

    public init(_ instant: ContinuousClock.Instant) {
        self.instant = instant
    }

    /// `limit` after `receivedAt` (seconds since 1970, from nginx), or after now
    /// when the arrival time is unknown. A clock that puts the arrival in the
    /// future counts as no wait.
    public static func after(_ limit: Duration, receivedAt: Double?, wallClock: Double = Date().timeIntervalSince1970,
                             now: ContinuousClock.Instant = .now) -> Deadline {
        let waited = receivedAt.map { max(0, wallClock - $0) } ?? 0
        return Deadline(now + limit - .milliseconds(Int64((waited * 1000).rounded())))
    }

    /// A deadline that never comes, for work outside any request.
    public static let none = Deadline(.now + .seconds(86_400 * 365))

    public var remaining: Duration { max(.zero, instant - .now) }

    public var hasPassed: Bool { ContinuousClock.now >= instant }

    /// The earlier of this deadline and `budget` from now: every wait of a
    /// request uses its own limit, never more than the request has left.
    public func capping(_ budget: Duration) -> ContinuousClock.Instant {
        min(instant, .now + budget)
    }
}
