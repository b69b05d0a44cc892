import ParleyCore
import ParleySQLite

/// A bulk load's side of the analytics rollups: inside the load's transaction, `begin` turns the
/// per-case rollup trigger off, `add` adds a piece of new cases with two statements, and `end`
/// turns the trigger on again before the transaction commits (so no other write ever sees it off).
enum AnalyticsBulkLoad {
    static func begin(_ db: Connection) throws {
        try db.run("INSERT OR IGNORE INTO analytics_bulk_load (id) VALUES (1)")
    }

    static func add(_ caseIDs: [String], _ db: Connection) throws {
        guard !caseIDs.isEmpty else { return }
        let ids = JSONValue.array(caseIDs.map(JSONValue.string)).compact
        try db.run(AnalyticsRollupTriggers.casesPlacedDays, [ids])
        try db.run(AnalyticsRollupTriggers.casesPlacedTotals, [ids])
    }

    static func end(_ db: Connection) throws {
        try db.run("DELETE FROM analytics_bulk_load")
    }
}
