/// The state of one histogram series: a count per bucket (not cumulative; the
/// last bucket is the overflow past the largest bound), the sum of what was observed.
public struct HistogramValue: Sendable, Equatable, Codable {
    /// Upper bounds, ascending; the `+Inf` bucket is implied.
    public private(set) var bounds: [Double]
    /// `bounds.count + 1` counts: observations in (previous bound, bound].
    public private(set) var counts: [UInt64]
    public private(set) var sum: Double

    public init(bounds: [Double]) {
        self.bounds = bounds
        counts = Array(repeating: 0, count: bounds.count + 1)
        sum = 0
    }

    public var count: UInt64 { counts.reduce(0, +) }

    /// The counts as Prometheus wants them: each bucket includes the ones below,
    /// the last (`+Inf`) equals `count`.
    public var cumulativeCounts: [UInt64] {
        var total: UInt64 = 0
        return counts.map { total += $0; return total }
    }

    public mutating func observe(_ value: Double) {
        // Linear: a dozen bounds are scanned faster than a binary search branches.
        var index = 0
        while index < bounds.count, value > bounds[index] { index += 1 }
        counts[index] += 1
        sum += value
    }

    /// Adds `other`'s observations. Bounds that differ (a release changed a
    /// family's buckets) put each of `other`'s buckets into the first of ours
    /// that holds its upper bound, so count and sum stay exact and nothing moves down.
    public mutating func merge(_ other: HistogramValue) {
        sum += other.sum
        if other.bounds == bounds {
            for index in counts.indices { counts[index] += other.counts[index] }
            return
        }
        for (index, count) in other.counts.enumerated() {
            let upper = index < other.bounds.count ? other.bounds[index] : .infinity
            let target = bounds.firstIndex { upper <= $0 } ?? bounds.count
            counts[target] += count
        }
    }
}
