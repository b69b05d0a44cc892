import ParleyCore
import ParleySQLite
import ParleyStore

/// Where the rollup-based overview differs from the one computed from the rows, over every
/// grouping and a set of ranges around `today` (recent, a year, one that ends before most cases
/// were created, one in a currency, a very long one); empty when they agree exactly and no
/// staged rollup row is left uncommitted.
public func analyticsRollupMismatches(_ database: DatabasePool, today: CalendarDate) throws -> [String] {
    let rollups = SQLiteAnalyticsStore(database: database)
    let direct = SQLiteDirectAnalytics(database: database)
    let tomorrow = today.adding(days: 1)
    let ranges: [(CalendarDate, CalendarDate, String?)] = [
        (tomorrow.adding(days: -30), tomorrow, nil), (tomorrow.adding(days: -365), tomorrow, nil),
        (today.adding(days: -200), today.adding(days: -120), nil), (today.adding(days: -3), today.adding(days: 40), "CNY"),
        (today.adding(days: -2), today, nil), (today.adding(days: -1), today.adding(days: 1), nil),
        (today.adding(days: -3_000), today.adding(days: 600), nil),
    ]
    var mismatches: [String] = []
    // Staged rows are folded in before every commit: none may be left in a committed state.
    let staged = try database.read { db in try db.queryFirst("SELECT count(*) FROM analytics_day_delta") { $0.int(0) } } ?? -1
    if staged != 0 { mismatches.append("\(staged) staged rollup rows left after commit") }
    for (from, to, currency) in ranges {
        for grouping in AnalyticsGrouping.allCases {
            let query = AnalyticsQuery(from: from, to: to, currency: currency, groupBy: grouping)
            let expected = try direct.overview(query)
            let actual = try rollups.overview(query)
            if actual.map(\.currency) != expected.map(\.currency) || actual.map(\.key) != expected.map(\.key) {
                mismatches.append("\(query): groups \(actual.map { $0.key ?? "-" }) from rollups, \(expected.map { $0.key ?? "-" }) from rows")
                continue
            }
            for (a, e) in zip(actual, expected) where a.counts != e.counts {
                mismatches.append("\(query) \(e.currency) \(e.key ?? "-"): rollups \(a.counts), rows \(e.counts)")
            }
        }
    }
    return mismatches
}
