import ParleyCore
import ParleySQLite

/// Adds new cases to the analytics rollups (their count and placed amount, by day, month and in
/// total, for every grouping), called in the transaction that inserts them: one case from the API,
/// a piece of up to 500 from an import. The cases are added up here, from the values being
/// inserted, so a piece of 500 costs a few rows instead of a lookup per case and grouping.
enum AnalyticsCasePlacement {
    private struct DayKey: Hashable { let dim: Int64, day: Int64, currency: String, key: String }
    private struct TotalKey: Hashable { let dim: Int64, currency: String, key: String }
    /// Cases counted and their placed amount; added to in place (one dictionary access each time).
    private struct Sum {
        var cases: Int64 = 0, placed: Int64 = 0
        mutating func add(cases: Int64, placed: Int64) {
            self.cases += cases
            self.placed += placed
        }
    }

    /// The cases that share every grouping key: a piece of 500 has a few dozen, so each case costs
    /// one dictionary update here instead of one per grouping and rollup (hashing its strings ten
    /// times over was most of this step).
    private struct Group: Hashable {
        let day: Int64, currency: String, segment: String, agent: String, team: String, creditor: String
    }

    static func add(_ cases: [DebtCase], _ db: Connection) throws {
        var groups: [Group: Sum] = [:]
        for c in cases {
            // The keys `analytics_case_group` gives the inserted row: none, segment, agent, team,
            // creditor. A new case has no segment override; an imported one no agent or team either
            // (the import inserts neither column), so they must be nil here too.
            precondition(c.segmentOverride == nil, "a new case has no segment override")
            let group = Group(day: c.createdAt.millisecondsSinceEpoch / 86_400_000, currency: c.currency, segment: c.segment.rawValue,
                              agent: c.assignedTo ?? "", team: c.team ?? "", creditor: c.creditor)
            let placed = c.balance.principalMinor + c.balance.interestMinor + c.balance.feesMinor
            groups[group, default: Sum()].add(cases: 1, placed: placed)
        }
        var days: [DayKey: Sum] = [:]
        var totals: [TotalKey: Sum] = [:]
        for (group, sum) in groups {
            for (dim, key) in ["", group.segment, group.agent, group.team, group.creditor].enumerated() {
                let daySlot = DayKey(dim: Int64(dim), day: group.day, currency: group.currency, key: key)
                let totalSlot = TotalKey(dim: Int64(dim), currency: group.currency, key: key)
                days[daySlot, default: Sum()].add(cases: sum.cases, placed: sum.placed)
                totals[totalSlot, default: Sum()].add(cases: sum.cases, placed: sum.placed)
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
