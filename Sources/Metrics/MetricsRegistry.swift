import Foundation

/// The counters and histograms of one process, in memory. Recording takes an
/// uncontended lock (and a lookup by series unless the caller holds a handle);
/// nothing is written anywhere until
/// a publisher takes a `snapshot()` (Common's `MetricsPublisher` stores one in
/// SessionDB about once a second, off the request path).
public final class MetricsRegistry: @unchecked Sendable {
    // @unchecked: every field is read and written under `lock`.
    private let lock = NSLock()
    private var counters: [Series: Counter] = [:]
    private var histograms: [Series: Histogram] = [:]
    private var changes: UInt64 = 0

    public init() {}

    /// The registry every module of a process records into.
    public static let shared = MetricsRegistry()

    /// One counter series of a registry, found once and then added to without
    /// hashing its name and labels again (what a request path wants: a lookup
    /// by series costs a few thousand instructions, an add through a handle a lock).
    /// Its value is only read and written under its registry's lock.
    public final class Counter: @unchecked Sendable {
        fileprivate var value: Double = 0
    }

    /// One histogram series of a registry, like `Counter`.
    public final class Histogram: @unchecked Sendable {
        fileprivate var value: HistogramValue
        fileprivate init(bounds: [Double]) { value = HistogramValue(bounds: bounds) }
    }

    /// The handle of a counter series, created at 0 when new.
    public func counter(_ family: MetricFamily, _ labels: [Label] = []) -> Counter {
        let series = Series(family.name, labels)
        lock.lock()
        defer { lock.unlock() }
        if let counter = counters[series] { return counter }
        let counter = Counter()
        counters[series] = counter
        return counter
    }

    /// The handle of a histogram series, with the family's buckets when new.
    public func histogram(_ family: MetricFamily, _ labels: [Label] = []) -> Histogram {
        let series = Series(family.name, labels)
        lock.lock()
        defer { lock.unlock() }
        if let histogram = histograms[series] { return histogram }
        let histogram = Histogram(bounds: family.buckets)
        histograms[series] = histogram
        return histogram
    }

    /// Adds `amount` to a counter of this registry.
    public func increment(_ counter: Counter, by amount: Double = 1) {
        lock.lock()
        counter.value += amount
        changes &+= 1
        lock.unlock()
    }

    /// Records one observation in a histogram of this registry.
    public func observe(_ histogram: Histogram, _ value: Double) {
        lock.lock()
        histogram.value.observe(value)
        changes &+= 1
        lock.unlock()
    }

    /// Adds `amount` to a counter found by family and labels.
    public func increment(_ family: MetricFamily, _ labels: [Label] = [], by amount: Double = 1) {
        increment(counter(family, labels), by: amount)
    }

    /// Records one observation of a histogram family found by labels.
    public func observe(_ family: MetricFamily, _ labels: [Label] = [], _ value: Double) {
        observe(histogram(family, labels), value)
    }

    /// How many recordings so far: a publisher skips a write when it has not moved.
    public var changeCount: UInt64 {
        lock.lock()
        defer { lock.unlock() }
        return changes
    }

    /// Everything recorded so far, and `changeCount` at that instant.
    public func snapshot() -> (snapshot: MetricsSnapshot, changeCount: UInt64) {
        lock.lock()
        defer { lock.unlock() }
        return (MetricsSnapshot(counters: counters.mapValues(\.value), histograms: histograms.mapValues(\.value)),
                changes)
    }
}
