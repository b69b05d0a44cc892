import ParleyCore
import ParleySQLite

/// Adds new cases to the analytics rollups (their count and placed amount, by day, month and in
/// total, for every grouping), called in the transaction that inserts them: one case from the API,
/// a piece of up to 500 from an import. The cases are added up here, from the values being
/// inserted, so a piece of 500 costs a few rows instead of a lookup per case and grouping.
enum AnalyticsCasePlacement {
    private struct DayKey: Hashable { let dim: Int64, day: Int64, currency: String, key: String }
    private struct TotalKey: Hashable { let dim: Int64, currency: String, key: String }

    static func add(_ cases: [DebtCase], _ db: Connection) throws {
        var days: [DayKey: (cases: Int64, placed: Int64)] = [:]
        var totals: [TotalKey: (cases: Int64, placed: Int64)] = [:]
        for c in cases {
            let day = c.createdAt.millisecondsSinceEpoch / 86_400_000
            let placed = c.balance.principalMinor + c.balance.interestMinor + c.balance.feesMinor
            // The keys `analytics_case_group` gives the inserted row: none, segment, agent, team,
            // creditor. A new case has no segment override; an imported one no agent or team either
            // (the import inserts neither column), so they must be nil here too.
            precondition(c.segmentOverride == nil, "a new case has no segment override")
            let keys = ["", c.segment.rawValue, c.assignedTo ?? "", c.team ?? "", c.creditor]
            for (dim, key) in keys.enumerated() {
                let daySlot = DayKey(dim: Int64(dim), day: day, currency: c.currency, key: key)
                let totalSlot = TotalKey(dim: Int64(dim), currency: c.currency, key: key)
                let dayBefore = days[daySlot] ?? (0, 0), totalBefore = totals[totalSlot] ?? (0, 0)
                days[daySlot] = (dayBefore.cases + 1, dayBefore.placed + placed)
                totals[totalSlot] = (totalBefore.cases + 1, totalBefore.placed + placed)
            }
        }
        for chunk in Array(days).statementChunks(upTo: 64) {
            try db.run("INSERT INTO analytics_day_delta (dim, day, currency, key, cday, cases, placed_minor) VALUES"
                       + SQL.repeated("(?, ?, ?, ?, 0, ?, ?)", count: chunk.count)) { binder in
                for (slot, sum) in chunk {
                    binder.bind(slot.dim); binder.bind(slot.day); binder.bind(slot.currency); binder.bind(slot.key)
                    binder.bind(sum.cases); binder.bind(sum.placed)
                }
            }
        }
        for chunk in Array(totals).statementChunks(upTo: 64) {
            try db.run("INSERT INTO analytics_total (dim, currency, key, cases, placed_minor) VALUES"
                       + SQL.repeated("(?, ?, ?, ?, ?)", count: chunk.count) + AnalyticsRollupTriggers.totalUpsert) { binder in
                for (slot, sum) in chunk {
                    binder.bind(slot.dim); binder.bind(slot.currency); binder.bind(slot.key); binder.bind(sum.cases); binder.bind(sum.placed)
                }
            }
        }
    }
}
