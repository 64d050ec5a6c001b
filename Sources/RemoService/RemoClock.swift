import Foundation

/// The instant the assistant takes as "now" for what users mean by times and for
/// stamping what it stores: the system clock, or in local-mode tests the instant
/// `REMO_FIXED_NOW` pins (see `AppConfig.Remo.fixedNow`).
public struct RemoClock: Sendable {
    private let fixed: Date?

    public init(fixed: Date? = nil) {
        self.fixed = fixed
    }

    public var now: Date { fixed ?? Date() }

    /// Whether the clock is pinned (the local test setting).
    public var isPinned: Bool { fixed != nil }
}
