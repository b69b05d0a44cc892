import ParleyCore
import ParleySQLite

/// Adds the staged day rows into `analytics_day` and `analytics_month`, once per transaction,
/// just before it commits (`Schema.beforeCommit` runs it, after the staged audit entries): those the
/// analytics triggers stage in `analytics_day_delta`, and those new communications stage in the
/// connection's memory (`AnalyticsCommunicationRollup`).
///
/// An upsert per event into the day row and, through it, the month row of each of the five
/// groupings cost about 90 µs a contact, paid inside the writer's serial section. Staging a plain
/// row per grouping costs a few µs, and a group commit of many contacts on the same day then
/// touches each day and month row once. Readers only ever see committed rollups, and the delta
/// table is empty at every commit.
enum AnalyticsRollupFold {
    static let deltaTable: SQL = "CREATE TABLE IF NOT EXISTS analytics_day_delta (dim INTEGER NOT NULL, day INTEGER NOT NULL,"
        + "currency TEXT NOT NULL, key TEXT NOT NULL, cday INTEGER NOT NULL,"
        + AnalyticsRollupSource.list(AnalyticsRollupTriggers.valueColumns, suffix: "INTEGER NOT NULL DEFAULT 0") + ") STRICT"

    private static let columns = AnalyticsRollupTriggers.valueColumns

    /// A day or month row: the period is its day number, or its month's first day number.
    private struct Slot: Hashable {
        let dim: Int64, period: Int64, currency: String, key: String, cday: Int64
    }

    private static func upsert(into table: SQL, period: SQL) -> SQL {
        "INSERT INTO" + table + "(dim," + period + ", currency, key, cday," + AnalyticsRollupSource.list(columns)
            + ") VALUES (?, ?, ?, ?, ?," + AnalyticsRollupSource.list(columns.map { _ in "?" }) + ")"
            + "ON CONFLICT (dim," + period + ", currency, key, cday) DO UPDATE SET"
            + AnalyticsRollupSource.list(columns.map { $0 + "=" + $0 + "+ excluded." + $0 })
    }

    static let selectStaged: SQL = ("SELECT dim, day, currency, key, cday," + AnalyticsRollupSource.list(columns) + "FROM analytics_day_delta").kept
    static let upsertDay = upsert(into: "analytics_day", period: "day").kept
    static let upsertMonth = upsert(into: "analytics_month", period: "month").kept

    /// Folds the staged rows, if any, into the rollups; runs inside the transaction that staged them.
    /// The rows are added up here, without a sort (the contacts of a group commit share a handful
    /// of rollup rows), then each day and month row is written once. Rows come from the staging
    /// table (the triggers) and from the connection's memory (`AnalyticsCommunicationRollup`).
    static func run(_ db: Connection) throws {
        var days: [Slot: [Int64]] = [:]
        var months: [Slot: [Int64]] = [:]
        var stagedInTable = false
        try db.forEach(selectStaged) { row in
            stagedInTable = true
            let dim = row.int(0), day = row.int(1), currency = row.string(2), key = row.string(3), cday = row.int(4)
            let values = (0..<Int32(columns.count)).map { row.int(5 + $0) }
            let month = monthStart(ofDay: day)
            add(values, to: Slot(dim: dim, period: day, currency: currency, key: key, cday: cday), in: &days)
            add(values, to: Slot(dim: dim, period: month, currency: currency, key: key, cday: cday), in: &months)
        }
        var values = [Int64](repeating: 0, count: columns.count)
        for delta in db.takeStaged(AnalyticsDayDelta.self) {
            for index in values.indices { values[index] = 0 }
            for (column, amount) in delta.amounts { values[column.index] += amount }
            let cday = delta.groups.cday(for: delta.day), month = monthStart(ofDay: delta.day)
            for (dim, key) in delta.groups.keys.enumerated() {
                add(values, to: Slot(dim: Int64(dim), period: delta.day, currency: delta.groups.currency, key: key, cday: cday), in: &days)
                add(values, to: Slot(dim: Int64(dim), period: month, currency: delta.groups.currency, key: key, cday: cday), in: &months)
            }
        }
        guard !days.isEmpty else { return }
        try write(days, upsertDay, db)
        try write(months, upsertMonth, db)
        if stagedInTable { try db.run("DELETE FROM analytics_day_delta") }
    }

    /// The day number of the first day of `day`'s calendar month (UTC).
    static func monthStart(ofDay day: Int64) -> Int64 { day - Int64(CalendarDate(daysSinceEpoch: day).day - 1) }

    /// Adds `values` to the slot's sums in place: one dictionary access, no copy of the sums.
    private static func add(_ values: [Int64], to slot: Slot, in rows: inout [Slot: [Int64]]) {
        rows[slot, default: []].addColumnwise(values)
    }

    private static func write(_ rows: [Slot: [Int64]], _ upsert: SQL, _ db: Connection) throws {
        for (slot, values) in rows {
            try db.run(upsert) { binder in
                binder.bind(slot.dim); binder.bind(slot.period); binder.bind(slot.currency); binder.bind(slot.key); binder.bind(slot.cday)
                for value in values { binder.bind(value) }
            }
        }
    }
}

private extension [Int64] {
    /// Adds `values` column by column; an empty array takes them as they are.
    mutating func addColumnwise(_ values: [Int64]) {
        if isEmpty { self = values; return }
        for index in indices { self[index] += values[index] }
    }
}
