import Foundation

/// Renders metrics in Prometheus's text exposition format, version 0.0.4.
public enum PrometheusText {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The exposition of `snapshot` (counters and histograms) and `gauges`,
    /// family by family in the order of `families`, each with its `# HELP` and
    /// `# TYPE`, series sorted by their labels. Series of names no family
    /// describes (a newer release's, still in SessionDB) are listed as untyped.
    public static func render(_ snapshot: MetricsSnapshot, gauges: [Series: Double] = [:],
                              families: [MetricFamily] = MetricFamily.all) -> String {
        var scalars: [String: [(Series, Double)]] = [:]
        for (series, value) in snapshot.counters { scalars[series.name, default: []].append((series, value)) }
        for (series, value) in gauges { scalars[series.name, default: []].append((series, value)) }
        var histograms: [String: [(Series, HistogramValue)]] = [:]
        for (series, value) in snapshot.histograms { histograms[series.name, default: []].append((series, value)) }

        var out = ""
        var described = Set<String>()
        for family in families {
            described.insert(family.name)
            let histogramSeries = histograms[family.name] ?? []
            let scalarSeries = scalars[family.name] ?? []
            guard !histogramSeries.isEmpty || !scalarSeries.isEmpty else { continue }
            out += "# HELP \(family.name) \(escapeHelp(family.help))\n"
            out += "# TYPE \(family.name) \(family.kind.rawValue)\n"
            for (series, value) in scalarSeries.sorted(by: { order($0.0, $1.0) }) {
                out += sample(series.name, series.labels, value)
            }
            for (series, value) in histogramSeries.sorted(by: { order($0.0, $1.0) }) {
                out += histogram(series, value)
            }
        }
        for name in Set(scalars.keys).subtracting(described).sorted() {
            out += "# TYPE \(name) untyped\n"
            for (series, value) in scalars[name]!.sorted(by: { order($0.0, $1.0) }) {
                out += sample(series.name, series.labels, value)
            }
        }
        return out
    }

    static func histogram(_ series: Series, _ value: HistogramValue) -> String {
        var out = ""
        let cumulative = value.cumulativeCounts
        for (index, count) in cumulative.enumerated() {
            let bound = index < value.bounds.count ? value.bounds[index] : .infinity
            out += sample(series.name + "_bucket", series.labels + [Label("le", number(bound))], Double(count))
        }
        out += sample(series.name + "_sum", series.labels, value.sum)
        out += sample(series.name + "_count", series.labels, Double(cumulative.last ?? 0))
        return out
    }

    static func sample(_ name: String, _ labels: [Label], _ value: Double) -> String {
        guard !labels.isEmpty else { return "\(name) \(number(value))\n" }
        let rendered = labels.map { "\($0.name)=\"\(escapeLabelValue($0.value))\"" }.joined(separator: ",")
        return "\(name){\(rendered)} \(number(value))\n"
    }

    /// A label value between double quotes: backslash, double quote and line feed escaped.
    public static func escapeLabelValue(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// A help text: backslash and line feed escaped (quotes stay as they are).
    public static func escapeHelp(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Whole numbers without a fraction, others in Swift's shortest exact form,
    /// infinities and NaN as Prometheus spells them.
    public static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return String(value)
    }

    private static func order(_ a: Series, _ b: Series) -> Bool {
        a.labels.lexicographicallyPrecedes(b.labels) { x, y in (x.name, x.value) < (y.name, y.value) }
    }
}
