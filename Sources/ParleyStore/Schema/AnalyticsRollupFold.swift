import ParleySQLite

/// Adds the day rows that the analytics triggers stage in `analytics_day_delta` into
/// `analytics_day` and `analytics_month`, once per transaction, just before it commits (the
/// database pool runs `run` as its before-commit step).
///
/// An upsert per event into the day row and, through it, the month row of each of the five
/// groupings cost about 90 µs a contact, paid inside the writer's serial section. Staging a plain
/// row per grouping costs a few µs, and a group commit of many contacts on the same day then
/// touches each day and month row once. Readers only ever see committed rollups, and the delta
/// table is empty at every commit.
public enum AnalyticsRollupFold {
    static let deltaTable: SQL = "CREATE TABLE IF NOT EXISTS analytics_day_delta (dim INTEGER NOT NULL, day INTEGER NOT NULL,"
        + "currency TEXT NOT NULL, key TEXT NOT NULL, cday INTEGER NOT NULL,"
        + AnalyticsRollupSource.list(AnalyticsRollupTriggers.valueColumns, suffix: "INTEGER NOT NULL DEFAULT 0") + ") STRICT"

    private static let columns = AnalyticsRollupTriggers.valueColumns

    private static func fold(into table: SQL, period: SQL, from periodOfDay: SQL) -> SQL {
        "INSERT INTO" + table + "(dim," + period + ", currency, key, cday," + AnalyticsRollupSource.list(columns)
            + ") SELECT dim," + periodOfDay + "AS p, currency, key, cday," + AnalyticsRollupSource.list(columns, prefix: "sum(", suffix: ")")
            + "FROM analytics_day_delta WHERE true GROUP BY dim, p, currency, key, cday"
            + "ON CONFLICT (dim," + period + ", currency, key, cday) DO UPDATE SET"
            + AnalyticsRollupSource.list(columns.map { $0 + "=" + $0 + "+ excluded." + $0 })
    }

    static let foldDays = fold(into: "analytics_day", period: "day", from: "day")
    static let foldMonths = fold(into: "analytics_month", period: "month",
                                 from: "CAST(unixepoch(date(day * 86400, 'unixepoch', 'start of month')) / 86400 AS INTEGER)")

    /// Folds the staged rows, if any, into the rollups; runs inside the transaction that staged them.
    public static func run(_ db: Connection) throws {
        guard try db.queryFirst("SELECT EXISTS (SELECT 1 FROM analytics_day_delta)", [], { $0.bool(0) }) == true else { return }
        try db.run(foldDays)
        try db.run(foldMonths)
        try db.run("DELETE FROM analytics_day_delta")
    }
}
