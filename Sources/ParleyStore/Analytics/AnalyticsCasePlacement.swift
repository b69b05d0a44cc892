import ParleyCore
import ParleySQLite

/// Adds new cases to the analytics rollups (their count and placed amount, by day, month and in
/// total, for every grouping), called in the transaction that inserts them: one case from the API,
/// a piece of up to 500 from an import.
enum AnalyticsCasePlacement {
    static func add(_ caseIDs: [CaseID], _ db: Connection) throws {
        guard !caseIDs.isEmpty else { return }
        let ids = JSONValue.array(caseIDs.map { .string($0.rawValue) }).compact
        try db.run(AnalyticsRollupTriggers.casesPlacedDays, [ids])
        try db.run(AnalyticsRollupTriggers.casesPlacedTotals, [ids])
    }
}
