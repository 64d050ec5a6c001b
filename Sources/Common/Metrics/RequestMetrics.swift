import Foundation
import Metrics

/// Counts an endpoint's requests and times them from nginx's arrival time, so
/// the time a request waited for a thread is part of its latency. Runs on every
/// request: the series handles are found once (a small cache by method and
/// status), then each request costs two uncontended locks and a bucket search.
final class RequestMetrics: @unchecked Sendable {
    // @unchecked: `counters` is guarded by `lock`; the rest is immutable.
    private let endpoint: String
    private let registry: MetricsRegistry
    private let duration: MetricsRegistry.Histogram
    private let lock = NSLock()
    private var counters: [Int: MetricsRegistry.Counter] = [:]

    init(endpoint: String, registry: MetricsRegistry = .shared) {
        self.endpoint = endpoint
        self.registry = registry
        duration = registry.histogram(.httpRequestDuration, [Label("endpoint", endpoint)])
    }

    /// Methods outside this list are counted as `other`: a client cannot grow
    /// the number of series by inventing methods.
    private static let methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    func record(_ request: Request, status: Int, startedUptime: UInt64) {
        let seconds: Double
        if let receivedAt = request.receivedAt {
            // nginx's $msec has millisecond resolution: never below zero.
            seconds = max(0, Date().timeIntervalSince1970 - receivedAt)
        } else {
            seconds = Double(DispatchTime.now().uptimeNanoseconds - startedUptime) / 1e9
        }
        registry.increment(counter(method: request.method, status: status))
        registry.observe(duration, seconds)
    }

    private func counter(method: String, status: Int) -> MetricsRegistry.Counter {
        let index = Self.methods.firstIndex(of: method) ?? Self.methods.count
        let key = index << 16 | (status & 0xFFFF)
        lock.lock()
        defer { lock.unlock() }
        if let counter = counters[key] { return counter }
        let counter = registry.counter(.httpRequests, [
            Label("endpoint", endpoint), Label("method", index < Self.methods.count ? method : "other"),
            Label("status", String(status)),
        ])
        counters[key] = counter
        return counter
    }
}
