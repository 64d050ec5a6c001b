/// The counters and histograms of one process (or the sum of several) at one instant.
public struct MetricsSnapshot: Sendable, Equatable {
    public var counters: [Series: Double]
    public var histograms: [Series: HistogramValue]

    public init(counters: [Series: Double] = [:], histograms: [Series: HistogramValue] = [:]) {
        self.counters = counters
        self.histograms = histograms
    }

    public var isEmpty: Bool { counters.isEmpty && histograms.isEmpty }

    /// Adds `other` series by series: what several processes counted is their sum.
    public mutating func merge(_ other: MetricsSnapshot) {
        for (series, value) in other.counters { counters[series, default: 0] += value }
        for (series, value) in other.histograms {
            if histograms[series] == nil {
                histograms[series] = value
            } else {
                histograms[series]!.merge(value)
            }
        }
    }
}

extension MetricsSnapshot: Codable {
    // Stored as lists: a dictionary keyed by a struct would encode as an
    // alternating array of keys and values.
    private struct CounterEntry: Codable {
        let series: Series
        let value: Double
    }

    private struct HistogramEntry: Codable {
        let series: Series
        let value: HistogramValue
    }

    private enum CodingKeys: String, CodingKey {
        case counters, histograms
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let counterEntries = try container.decodeIfPresent([CounterEntry].self, forKey: .counters) ?? []
        let histogramEntries = try container.decodeIfPresent([HistogramEntry].self, forKey: .histograms) ?? []
        self.init()
        for entry in counterEntries { counters[entry.series, default: 0] += entry.value }
        for entry in histogramEntries { merge(MetricsSnapshot(histograms: [entry.series: entry.value])) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(counters.map { CounterEntry(series: $0.key, value: $0.value) }, forKey: .counters)
        try container.encode(histograms.map { HistogramEntry(series: $0.key, value: $0.value) }, forKey: .histograms)
    }
}
