import Foundation
@testable import VoiceService

/// A worker clock that moves only when a test moves it, and whose jitter is
/// whatever the test sets: retry timing is checked without waiting.
final class ManualClock: @unchecked Sendable {
    // @unchecked: both values are guarded by `lock`.
    private let lock = NSLock()
    private var time: Double
    private var unit: Double

    init(at time: Double, jitter: Double = 1) {
        self.time = time
        self.unit = jitter
    }

    var now: Double {
        get { lock.withLock { time } }
        set { lock.withLock { time = newValue } }
    }

    var jitter: Double {
        get { lock.withLock { unit } }
        set { lock.withLock { unit = newValue } }
    }

    var workerClock: WorkerClock {
        WorkerClock(now: { self.now }, jitter: { self.jitter })
    }
}
