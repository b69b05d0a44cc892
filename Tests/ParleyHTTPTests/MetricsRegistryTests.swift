import Dispatch
import Testing
@testable import ParleyHTTP

@Suite struct MetricsRegistryTests {
    @Test func countersAddUpAcrossHandlesOfOneSeriesAndUnusedSeriesAreNotRendered() {
        let registry = MetricsRegistry()
        let first = registry.series("jobs_total", [("job", "dispatch")], help: "Job runs.")
        let second = registry.series("jobs_total", [("job", "dispatch")], help: "ignored: the first help stays")
        _ = registry.series("never_total", [], help: "Never used.")
        registry.increment(first)
        registry.increment(second, by: 4)
        registry.increment("jobs_total", [("job", "reminders")])
        let text = registry.render()
        #expect(text.contains("# HELP jobs_total Job runs.\n# TYPE jobs_total counter\n"))
        #expect(text.contains("jobs_total{job=\"dispatch\"} 5\n"))
        #expect(text.contains("jobs_total{job=\"reminders\"} 1\n"))
        #expect(!text.contains("never_total"))
    }

    @Test func aHistogramsBucketsAreCumulativeAndItsCountIsTheInfiniteBucket() {
        let registry = MetricsRegistry()
        let series = registry.series("latency_seconds", [("route", "/x")], help: "Latency.")
        for seconds in [0.0001, 0.0005, 0.002, 0.3, 42] { registry.observe(series, seconds: seconds) }
        let lines = registry.render().split(separator: "\n").map(String.init)
        func value(_ prefix: String) -> String? {
            lines.first { $0.hasPrefix(prefix + " ") }.map { String($0.dropFirst(prefix.count + 1)) }
        }
        #expect(lines.contains("# TYPE latency_seconds histogram"))
        #expect(value("latency_seconds_bucket{route=\"/x\",le=\"0.0005\"}") == "2")  // bounds are inclusive
        #expect(value("latency_seconds_bucket{route=\"/x\",le=\"0.001\"}") == "2")
        #expect(value("latency_seconds_bucket{route=\"/x\",le=\"0.0025\"}") == "3")
        #expect(value("latency_seconds_bucket{route=\"/x\",le=\"0.5\"}") == "4")
        #expect(value("latency_seconds_bucket{route=\"/x\",le=\"10.0\"}") == "4")
        #expect(value("latency_seconds_bucket{route=\"/x\",le=\"+Inf\"}") == "5")
        #expect(value("latency_seconds_count{route=\"/x\"}") == "5")
        let sum = value("latency_seconds_sum{route=\"/x\"}").flatMap(Double.init) ?? -1
        #expect(abs(sum - 42.3026) < 1e-6)
    }

    /// Updates from many threads at once are all counted (atomic adds, no lock).
    @Test func concurrentUpdatesAreAllCounted() {
        let registry = MetricsRegistry()
        let counter = registry.series("hits_total")
        let histogram = registry.series("hit_seconds")
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<10_000 {
                registry.increment(counter)
                registry.observe(histogram, seconds: 0.001)
            }
        }
        let text = registry.render()
        #expect(text.contains("hits_total 80000\n"))
        #expect(text.contains("hit_seconds_bucket{le=\"0.001\"} 80000\n"))
        #expect(text.contains("hit_seconds_count 80000\n"))
    }

    @Test(arguments: [(Int64(0), "0.000"), (45, "0.045"), (2_906, "2.906"), (12_000, "12.000"), (1_234_567, "1234.567"), (-3, "0.000")])
    func accessLogDurationsHaveThreeDecimals(_ micros: Int64, _ text: String) {
        let entry = AccessLogEntry(level: .info, method: "GET", route: "/health", status: 200, durationMicroseconds: micros,
                                   responseBytes: 10, requestID: "r", userID: nil)
        #expect(entry.durationMilliseconds == text)
    }
}
