import Synchronization

/// Counters, gauges and latency histograms, rendered in the Prometheus text format (0.0.4).
/// Label sets are small and fixed by the code (route patterns, statuses), never user input.
public final class MetricsRegistry: Sendable {
    public typealias Labels = [(String, String)]

    struct Key: Hashable, Sendable {
        let name: String
        let labels: String
    }

    /// Latency buckets in seconds, from 0.5 ms to 10 s.
    public static let latencyBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// Every series made, by name and labels; taken only to make a series and to render.
    private let cells = Mutex<[Key: SeriesCell]>([:])
    /// The help text of each metric name, from the first series made with it.
    private let helps = Mutex<[String: String]>([:])
    private let gauges = Mutex<[String: (help: String, read: @Sendable () -> Double)]>([:])
    private let observedCounters = Mutex<[String: (help: String, read: @Sendable () -> [(Labels, UInt64)])]>([:])

    public init() {}

    /// A series named once: its label string is rendered when the handle is made, and an update
    /// through it is an atomic add on its own counters, with no lock and no hashing (a registry-wide
    /// lock and two hashed lookups per request cost a tenth of a health check's CPU, and the
    /// database's writer thread, which counts verdicts, waited on it behind request threads).
    public struct Series: Sendable {
        let cell: SeriesCell
    }

    public func series(_ name: String, _ labels: Labels = [], help: String = "") -> Series {
        let key = Key(name: name, labels: Self.render(labels))
        helps.withLock { helps in if helps[name] == nil { helps[name] = help } }
        return Series(cell: cells.withLock { cells in
            if let cell = cells[key] { return cell }
            let cell = SeriesCell(key: key)
            cells[key] = cell
            return cell
        })
    }

    public func increment(_ series: Series, by amount: UInt64 = 1) {
        series.cell.add(amount)
    }

    /// A counter series shown at 0 before its first increment, so that an alert (the first failed
    /// delivery) has a series to watch from the start.
    @discardableResult
    public func counter(_ name: String, _ labels: Labels, help: String) -> Series {
        let made = series(name, labels, help: help)
        made.cell.add(0)
        return made
    }

    public func observe(_ series: Series, seconds: Double) {
        series.cell.observe(seconds)
    }

    /// For series used rarely (job runs, message outcomes): resolves the series on every call.
    public func increment(_ name: String, _ labels: Labels = [], by amount: UInt64 = 1, help: String = "") {
        increment(series(name, labels, help: help), by: amount)
    }

    public func observe(_ name: String, _ labels: Labels = [], seconds: Double, help: String = "") {
        observe(series(name, labels, help: help), seconds: seconds)
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
        let all = cells.withLock { Array($0.values) }
        let help = helps.withLock { $0 }
        let counters = all.filter { $0.counted.load(ordering: .relaxed) }
        for name in Set(counters.map(\.key.name)).sorted() {
            out += header(name, help[name], type: "counter")
            for cell in counters where cell.key.name == name {
                out += "\(name)\(cell.key.labels) \(cell.total.load(ordering: .relaxed))\n"
            }
        }
        let histograms = all.filter { $0.observed.load(ordering: .relaxed) }
        for name in Set(histograms.map(\.key.name)).sorted() {
            out += header(name, help[name], type: "histogram")
            for cell in histograms where cell.key.name == name {
                let key = cell.key
                let inner = key.labels.isEmpty ? "" : String(key.labels.dropFirst().dropLast()) + ","
                // Buckets are read before the sum, and the count is their total: every cumulative
                // bucket stays at or below the next and `+Inf` equals `_count`, even mid-update.
                let counts = cell.buckets.map { $0.value.load(ordering: .relaxed) }
                var cumulative: UInt64 = 0
                for (index, bound) in Self.latencyBuckets.enumerated() {
                    cumulative += counts[index]
                    out += "\(name)_bucket{\(inner)le=\"\(bound)\"} \(cumulative)\n"
                }
                let count = cumulative + counts[Self.latencyBuckets.count]
                out += "\(name)_bucket{\(inner)le=\"+Inf\"} \(count)\n"
                out += "\(name)_sum\(key.labels) \(Double(cell.nanoseconds.load(ordering: .relaxed)) / 1e9)\n"
                out += "\(name)_count\(key.labels) \(count)\n"
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

    private func header(_ name: String, _ help: String?, type: String) -> String {
        "# HELP \(name) \(help.map { $0.isEmpty ? name : $0 } ?? name)\n# TYPE \(name) \(type)\n"
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

/// One series' values: a counter, or a latency histogram, by how it is first used. Updated with
/// relaxed atomic adds (each value is independent; `render` reads them in an order that keeps the
/// exposition consistent).
final class SeriesCell: Sendable {
    let key: MetricsRegistry.Key
    let counted = Atomic<Bool>(false)
    let observed = Atomic<Bool>(false)
    let total = Atomic<UInt64>(0)
    /// Observations per bucket, not cumulative: one add per observation. The last one holds
    /// those above the largest bound.
    let buckets: [AtomicCount]
    let nanoseconds = Atomic<UInt64>(0)

    init(key: MetricsRegistry.Key) {
        self.key = key
        buckets = (0...MetricsRegistry.latencyBuckets.count).map { _ in AtomicCount() }
    }

    func add(_ amount: UInt64) {
        if !counted.load(ordering: .relaxed) { counted.store(true, ordering: .relaxed) }
        total.wrappingAdd(amount, ordering: .relaxed)
    }

    func observe(_ seconds: Double) {
        if !observed.load(ordering: .relaxed) { observed.store(true, ordering: .relaxed) }
        let bounds = MetricsRegistry.latencyBuckets
        let index = bounds.firstIndex { seconds <= $0 } ?? bounds.count
        buckets[index].value.wrappingAdd(1, ordering: .relaxed)
        // Whole nanoseconds: 584 years of summed latency before the sum wraps.
        let nanoseconds = seconds.isFinite && seconds > 0 ? UInt64(min(seconds * 1e9, 1e18)) : 0
        self.nanoseconds.wrappingAdd(nanoseconds, ordering: .relaxed)
    }
}

/// An atomic counter that can sit in an array.
final class AtomicCount: Sendable {
    let value = Atomic<UInt64>(0)
}
