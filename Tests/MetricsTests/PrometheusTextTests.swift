import Metrics
import XCTest

final class PrometheusTextTests: XCTestCase {
    func testEscapesLabelValuesAndHelp() {
        XCTAssertEqual(PrometheusText.escapeLabelValue(#"a\b"c"# + "\nd"), #"a\\b\"c\nd"#)
        XCTAssertEqual(PrometheusText.escapeLabelValue("plain é"), "plain é")
        XCTAssertEqual(PrometheusText.escapeHelp("x\\y\n\"z\""), #"x\\y\n"z""#)

        let family = MetricFamily("t_total", .counter, help: "Line one\nline \\ two")
        var snapshot = MetricsSnapshot()
        snapshot.counters[Series("t_total", [Label("path", "/a\"b\\\n")])] = 2
        XCTAssertEqual(PrometheusText.render(snapshot, families: [family]), """
            # HELP t_total Line one\\nline \\\\ two
            # TYPE t_total counter
            t_total{path="/a\\"b\\\\\\n"} 2

            """)
    }

    func testHistogramBucketsAreCumulativeWithInfSumAndCount() {
        let family = MetricFamily("d_seconds", .histogram, help: "D.", buckets: [0.25, 0.5, 1])
        let registry = MetricsRegistry()
        for value in [0.125, 0.25, 0.375, 0.75, 0.875, 3] {  // exact in binary: an exact sum
            registry.observe(family, [Label("endpoint", "x")], value)
        }
        let text = PrometheusText.render(registry.snapshot().snapshot, families: [family])
        XCTAssertEqual(text, """
            # HELP d_seconds D.
            # TYPE d_seconds histogram
            d_seconds_bucket{endpoint="x",le="0.25"} 2
            d_seconds_bucket{endpoint="x",le="0.5"} 3
            d_seconds_bucket{endpoint="x",le="1"} 5
            d_seconds_bucket{endpoint="x",le="+Inf"} 6
            d_seconds_sum{endpoint="x"} 5.375
            d_seconds_count{endpoint="x"} 6

            """)
    }

    func testSeriesAreSortedFamiliesOrderedAndUnknownNamesUntyped() {
        var snapshot = MetricsSnapshot()
        snapshot.counters[Series("b_total", [Label("k", "2")])] = 1
        snapshot.counters[Series("b_total", [Label("k", "1")])] = 1.5
        snapshot.counters[Series("zz_from_a_newer_release")] = 7
        let families = [MetricFamily("a", .gauge, help: "A."), MetricFamily("b_total", .counter, help: "B."),
                        MetricFamily("c_total", .counter, help: "Never recorded.")]
        let text = PrometheusText.render(snapshot, gauges: [Series("a"): 3], families: families)
        XCTAssertEqual(text, """
            # HELP a A.
            # TYPE a gauge
            a 3
            # HELP b_total B.
            # TYPE b_total counter
            b_total{k="1"} 1.5
            b_total{k="2"} 1
            # TYPE zz_from_a_newer_release untyped
            zz_from_a_newer_release 7

            """)
    }

    func testNumbers() {
        XCTAssertEqual(PrometheusText.number(3), "3")
        XCTAssertEqual(PrometheusText.number(0.0025), "0.0025")
        XCTAssertEqual(PrometheusText.number(.infinity), "+Inf")
        XCTAssertEqual(PrometheusText.number(-.infinity), "-Inf")
        XCTAssertEqual(PrometheusText.number(.nan), "NaN")
        XCTAssertEqual(PrometheusText.number(1e20), "1e+20")
    }

    func testEveryFamilyHasAPrefixedUniqueNameAndHistogramsHaveAscendingBuckets() {
        XCTAssertEqual(Set(MetricFamily.all.map(\.name)).count, MetricFamily.all.count)
        for family in MetricFamily.all {
            XCTAssertTrue(family.name.hasPrefix("voice_"), family.name)
            XCTAssertEqual(family.kind == .counter, family.name.hasSuffix("_total"), family.name)
            if family.kind == .histogram {
                XCTAssertFalse(family.buckets.isEmpty, family.name)
                XCTAssertEqual(family.buckets, family.buckets.sorted(), family.name)
            }
        }
        XCTAssertEqual(MetricFamily.requestBuckets.last, 15, "up to Twilio's webhook limit")
    }
}
