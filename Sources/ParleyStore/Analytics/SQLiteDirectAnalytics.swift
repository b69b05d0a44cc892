import ParleyCore
import ParleySQLite

/// The overview computed straight from the event tables: SQL aggregates over the cases that match
/// a query (created before `to`, in the currency), joined to their payments, contacts, promises,
/// plans, feedback and complaints by the `case_id` indexes. The reference the rollups are checked
/// against (their cost grows with the cases and the events in the range).
///
/// Bound parameters, the same in every statement: ?1 `to` (ms), ?2 currency or NULL, ?3 `from`
/// (ms), ?4 `from` (date), ?5 `to` (date).
public struct SQLiteDirectAnalytics: Sendable {
    let database: DatabasePool
    public init(database: DatabasePool) { self.database = database }

    /// The matching cases with their group key.
    static func cases(_ grouping: AnalyticsGrouping) -> SQL {
        let key: SQL = switch grouping {
        case .none: "NULL"
        case .segment: "coalesce(segment_override, segment)"
        case .agent: "assigned_to"
        case .team: "team"
        case .creditor: "creditor"
        }
        return "WITH c AS (SELECT id, currency AS cur," + key + """
            AS g, principal_minor + interest_minor + fees_minor AS placed
            FROM debt_case WHERE created_at < ?1 AND (?2 IS NULL OR currency = ?2))
            """
    }

    struct GroupKey: Hashable {
        let currency: String
        let key: String?
    }

    public func overview(_ query: AnalyticsQuery) throws -> [(currency: String, key: String?, counts: AnalyticsCounts)] {
        let arguments: [any SQLBindable] = [query.toInstant.millisecondsSinceEpoch, query.currency,
                                            query.fromInstant.millisecondsSinceEpoch, query.from.description, query.to.description]
        let prefix = Self.cases(query.groupBy)
        var groups: [GroupKey: AnalyticsCounts] = [:]
        var order: [GroupKey] = []
        try database.read { db in
            /// Runs one aggregate (currency, key, then integer columns) and stores its columns.
            func collect(_ body: SQL, _ count: Int, _ store: (inout AnalyticsCounts, [Int64]) -> Void) throws {
                let highest = body.text.contains("?5") ? 5 : body.text.contains("?4") ? 4 : body.text.contains("?3") ? 3 : 2
                try db.forEach(prefix + body, Array(arguments.prefix(highest))) { row in
                    let group = GroupKey(currency: row.string(0), key: row.stringOrNil(1))
                    if groups[group] == nil { order.append(group) }
                    store(&groups[group, default: AnalyticsCounts()], (0..<count).map { row.int(Int32(2 + $0)) })
                }
            }
            try collect("SELECT cur, g, count(*), sum(placed) FROM c GROUP BY cur, g", 2) { $0.cases = $1[0]; $0.placedMinor = $1[1] }
            try collect("""
                SELECT c.cur, c.g, coalesce(sum(CASE WHEN p.paid_at >= ?3 THEN p.amount_minor END), 0), sum(p.amount_minor)
                FROM payment p JOIN c ON c.id = p.case_id WHERE p.status = 'applied' AND p.paid_at < ?1 GROUP BY c.cur, c.g
                """, 2) { $0.collectedMinor = $1[0]; $0.recoveredMinor = $1[1] }
            try collect("""
                SELECT c.cur, c.g, count(*), sum(x.connected) FROM (
                    SELECT case_id, max(outcome IN ('connected_rpc','connected_third_party')) AS connected FROM communication
                    WHERE direction = 'outbound' AND occurred_at >= ?3 AND occurred_at < ?1 GROUP BY case_id
                ) x JOIN c ON c.id = x.case_id GROUP BY c.cur, c.g
                """, 2) { $0.casesAttempted = $1[0]; $0.casesConnected = $1[1] }
            try collect("""
                SELECT c.cur, c.g, count(*), sum(m.outcome = 'connected_rpc')
                FROM communication m JOIN c ON c.id = m.case_id
                WHERE m.channel = 'phone' AND m.direction = 'outbound' AND m.occurred_at >= ?3 AND m.occurred_at < ?1 GROUP BY c.cur, c.g
                """, 2) { $0.phoneAttempts = $1[0]; $0.phoneRPC = $1[1] }
            try collect("""
                SELECT c.cur, c.g, coalesce(sum(json_array_length(m.violations)), 0) FROM communication m JOIN c ON c.id = m.case_id
                WHERE m.compliance_ok = 0 AND m.occurred_at >= ?3 AND m.occurred_at < ?1 GROUP BY c.cur, c.g
                """, 1) { $0.violations = $1[0] }
            try collect("""
                SELECT c.cur, c.g, sum(pr.status = 'kept'), sum(pr.status = 'broken') FROM promise pr JOIN c ON c.id = pr.case_id
                WHERE pr.due_date >= ?4 AND pr.due_date < ?5 GROUP BY c.cur, c.g
                """, 2) { $0.promisesKept = $1[0]; $0.promisesBroken = $1[1] }
            try collect("""
                SELECT c.cur, c.g, sum(pl.status = 'completed'), sum(pl.status = 'broken') FROM payment_plan pl JOIN c ON c.id = pl.case_id
                WHERE pl.status IN ('completed','broken') AND pl.updated_at >= ?3 AND pl.updated_at < ?1 GROUP BY c.cur, c.g
                """, 2) { $0.plansCompleted = $1[0]; $0.plansBroken = $1[1] }
            try collect("""
                SELECT c.cur, c.g, count(*), sum(f.score_communication), sum(f.score_attitude), sum(f.score_resolution), count(f.nps),
                    coalesce(sum(f.nps >= 9), 0), coalesce(sum(f.nps <= 6), 0)
                FROM feedback f JOIN c ON c.id = f.case_id WHERE f.created_at >= ?3 AND f.created_at < ?1 GROUP BY c.cur, c.g
                """, 7) { counts, values in
                counts.feedbackCount = values[0]
                counts.scoreCommunication = values[1]
                counts.scoreAttitude = values[2]
                counts.scoreResolution = values[3]
                counts.npsAnswers = values[4]
                counts.promoters = values[5]
                counts.detractors = values[6]
            }
            try collect("""
                SELECT c.cur, c.g, count(*) FROM complaint k JOIN c ON c.id = k.case_id
                WHERE k.created_at >= ?3 AND k.created_at < ?1 GROUP BY c.cur, c.g
                """, 1) { $0.complaints = $1[0] }
        }
        return order.sorted { ($0.currency, $0.key ?? "") < ($1.currency, $1.key ?? "") }
            .map { (currency: $0.currency, key: $0.key, counts: groups[$0] ?? AnalyticsCounts()) }
    }
}
