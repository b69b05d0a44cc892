import Synchronization

/// Counters, gauges and latency histograms, rendered in the Prometheus text format (0.0.4).
/// Label sets are small and fixed by the code (route patterns, statuses), never user input.
public final class MetricsRegistry: Sendable {
    public typealias Labels = [(String, String)]

    struct Key: Hashable, Sendable {
        let name: String
        let labels: String
    }

    struct Histogram {
        var buckets: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0
    }

    /// Latency buckets in seconds, from 0.5 ms to 10 s.
    public static let latencyBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct Storage {
        var counters: [Key: UInt64] = [:]
        var histograms: [Key: Histogram] = [:]
        var help: [String: (type: String, text: String)] = [:]
    }

    private let storage = Mutex(Storage())
    private let gauges = Mutex<[String: (help: String, read: @Sendable () -> Double)]>([:])
    private let observedCounters = Mutex<[String: (help: String, read: @Sendable () -> [(Labels, UInt64)])]>([:])

    public init() {}

    /// A series named once: its label string is rendered when the handle is made, not on every
    /// update (rendering and escaping labels per request cost more than the request's routing).
    public struct Series: Hashable, Sendable {
        let key: Key
        let help: String
    }

    public func series(_ name: String, _ labels: Labels = [], help: String = "") -> Series {
        Series(key: Key(name: name, labels: Self.render(labels)), help: help)
    }

    public func increment(_ series: Series, by amount: UInt64 = 1) {
        storage.withLock { storage in
            storage.counters[series.key, default: 0] += amount
            if storage.help[series.key.name] == nil { storage.help[series.key.name] = ("counter", series.help) }
        }
    }

    public func observe(_ series: Series, seconds: Double) {
        storage.withLock { storage in
            var histogram = storage.histograms[series.key] ?? Histogram(buckets: Array(repeating: 0, count: Self.latencyBuckets.count))
            for (index, bound) in Self.latencyBuckets.enumerated() where seconds <= bound { histogram.buckets[index] += 1 }
            histogram.sum += seconds
            histogram.count += 1
            storage.histograms[series.key] = histogram
            if storage.help[series.key.name] == nil { storage.help[series.key.name] = ("histogram", series.help) }
        }
    }

    public func increment(_ name: String, _ labels: Labels = [], by amount: UInt64 = 1, help: String = "") {
        let key = Key(name: name, labels: Self.render(labels))
        storage.withLock { storage in
            storage.counters[key, default: 0] += amount
            if storage.help[name] == nil { storage.help[name] = ("counter", help) }
        }
    }

    public func observe(_ name: String, _ labels: Labels = [], seconds: Double, help: String = "") {
        let key = Key(name: name, labels: Self.render(labels))
        storage.withLock { storage in
            var histogram = storage.histograms[key] ?? Histogram(buckets: Array(repeating: 0, count: Self.latencyBuckets.count))
            for (index, bound) in Self.latencyBuckets.enumerated() where seconds <= bound { histogram.buckets[index] += 1 }
            histogram.sum += seconds
            histogram.count += 1
            storage.histograms[key] = histogram
            if storage.help[name] == nil { storage.help[name] = ("histogram", help) }
        }
    }

    /// A gauge read when metrics are rendered (open connections, pool sizes).
    public func gauge(_ name: String, help: String, read: @escaping @Sendable () -> Double) {
        gauges.withLock { $0[name] = (help, read) }
    }

    /// A counter kept elsewhere (a pool, the checkpointer), read when metrics are rendered; one
    /// value per label set.
    public func counter(_ name: String, help: String, read: @escaping @Sendable () -> [(Labels, UInt64)]) {
        observedCounters.withLock { $0[name] = (help, read) }
    }

    /// The Prometheus exposition text.
    public func render() -> String {
        var out = ""
        let snapshot = storage.withLock { $0 }
        for name in Set(snapshot.counters.keys.map(\.name)).sorted() {
            out += header(name, snapshot.help[name], type: "counter")
            for (key, value) in snapshot.counters where key.name == name {
                out += "\(name)\(key.labels) \(value)\n"
            }
        }
        for name in Set(snapshot.histograms.keys.map(\.name)).sorted() {
            out += header(name, snapshot.help[name], type: "histogram")
            for (key, histogram) in snapshot.histograms where key.name == name {
                let inner = key.labels.isEmpty ? "" : String(key.labels.dropFirst().dropLast()) + ","
                for (index, bound) in Self.latencyBuckets.enumerated() {
                    out += "\(name)_bucket{\(inner)le=\"\(bound)\"} \(histogram.buckets[index])\n"
                }
                out += "\(name)_bucket{\(inner)le=\"+Inf\"} \(histogram.count)\n"
                out += "\(name)_sum\(key.labels) \(histogram.sum)\n"
                out += "\(name)_count\(key.labels) \(histogram.count)\n"
            }
        }
        for (name, counter) in observedCounters.withLock({ $0 }).sorted(by: { $0.key < $1.key }) {
            out += "# HELP \(name) \(counter.help)\n# TYPE \(name) counter\n"
            for (labels, value) in counter.read() { out += "\(name)\(Self.render(labels)) \(value)\n" }
        }
        for (name, gauge) in gauges.withLock({ $0 }).sorted(by: { $0.key < $1.key }) {
            out += "# HELP \(name) \(gauge.help)\n# TYPE \(name) gauge\n\(name) \(gauge.read())\n"
        }
        return out
    }

    private func header(_ name: String, _ help: (type: String, text: String)?, type: String) -> String {
        "# HELP \(name) \(help?.text ?? name)\n# TYPE \(name) \(type)\n"
    }

    static func render(_ labels: Labels) -> String {
        guard !labels.isEmpty else { return "" }
        let inner = labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
        return "{\(inner)}"
    }

    static func escape(_ value: String) -> String {
        value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("\n", with: "\\n")
    }
}
