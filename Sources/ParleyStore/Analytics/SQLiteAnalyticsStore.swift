import ParleyCore
import ParleySQLite

/// Analytics from the daily rollups of migration 0009 (kept in the same transaction as the
/// events, Docs/analytics.md): the cost grows with the days in the range and the number of keys, not with the
/// cases or events; only the contact rate of a range that ends in the past reads the range's
/// communications. The figures equal `SQLiteDirectAnalytics`'s, which computes them from the rows.
///
/// Bound parameters: ?1 dimension, ?2 currency or NULL, ?3 `to` (day number), ?4 `from` (day number),
/// and for the range ?5 and ?6, the first and the end of its whole months.
public struct SQLiteAnalyticsStore: AnalyticsStore {
    let database: DatabasePool
    public init(database: DatabasePool) { self.database = database }

    static func dimension(_ grouping: AnalyticsGrouping) -> Int64 {
        switch grouping {
        case .none: 0
        case .segment: 1
        case .agent: 2
        case .team: 3
        case .creditor: 4
        }
    }

    /// The case's key in the dimension, '' for none, as the rollups store it.
    static func key(_ grouping: AnalyticsGrouping) -> SQL {
        switch grouping {
        case .none: "''"
        case .segment: "coalesce(dc.segment_override, dc.segment)"
        case .agent: "coalesce(dc.assigned_to, '')"
        case .team: "coalesce(dc.team, '')"
        case .creditor: "dc.creditor"
        }
    }

    /// The first and the end of the whole calendar months inside [from, to); both `to` when there are none.
    static func wholeMonths(_ from: CalendarDate, _ to: CalendarDate) -> (CalendarDate, CalendarDate) {
        let first = from.day == 1 ? from : CalendarDate(year: from.year, month: from.month, day: 1)?.adding(months: 1, anchorDay: 1) ?? to
        let last = CalendarDate(year: to.year, month: to.month, day: 1) ?? to
        return first < last ? (first, last) : (to, to)
    }

    /// The range's day and month rows: ?1 dimension, ?2 currency, ?3 `to`, ?4 `from`, ?5 the first
    /// whole month, ?6 the day after the last whole month (composed once).
    static let rangeRows: SQL = {
        let values: SQL = """
            currency, key, collected_minor, phone_attempts, phone_rpc, violations, promises_kept, promises_broken,
            plans_completed, plans_broken, feedback, score_communication, score_attitude, score_resolution, nps_answers, promoters,
            detractors, complaints, contact_days - contact_days_followed, conversation_days - conversation_days_followed
            """
        let filter: SQL = "AND (cday = 0 OR cday < ?3) AND (?2 IS NULL OR currency = ?2)"
        return "SELECT" + values + "FROM analytics_day WHERE dim = ?1 AND day >= ?4 AND day < ?5" + filter
            + "UNION ALL SELECT" + values + "FROM analytics_month WHERE dim = ?1 AND month >= ?5 AND month < ?6" + filter
            + "UNION ALL SELECT" + values + "FROM analytics_day WHERE dim = ?1 AND day >= ?6 AND day < ?3" + filter
    }()

    struct GroupKey: Hashable {
        let currency: String
        let key: String
    }

    public func overview(_ query: AnalyticsQuery) throws -> [(currency: String, key: String?, counts: AnalyticsCounts)] {
        let arguments: [any SQLBindable] = [Self.dimension(query.groupBy), query.currency, query.to.daysSinceEpoch, query.from.daysSinceEpoch]
        var groups: [GroupKey: AnalyticsCounts] = [:]
        try database.read { db in
            func each(_ sql: SQL, _ count: Int, _ body: (inout AnalyticsCounts, [Int64]) -> Void) throws {
                // These statements take ?1 dimension, ?2 currency, ?3 `to`.
                try db.forEach(sql, Array(arguments.prefix(3))) { row in
                    body(&groups[GroupKey(currency: row.string(0), key: row.string(1)), default: AnalyticsCounts()],
                         (0..<count).map { row.int(Int32(2 + $0)) })
                }
            }
            // Every case and every applied payment ever, less those of days from `to` on, and less
            // the early events of cases created from `to` on.
            try each("""
                SELECT currency, key, cases, placed_minor, recovered_minor FROM analytics_total
                WHERE dim = ?1 AND (?2 IS NULL OR currency = ?2) AND ?3 IS NOT NULL
                """, 3) { $0.cases += $1[0]; $0.placedMinor += $1[1]; $0.recoveredMinor += $1[2] }
            try each("""
                SELECT currency, key, sum(cases), sum(placed_minor), sum(collected_minor) FROM analytics_day
                WHERE dim = ?1 AND (?2 IS NULL OR currency = ?2) AND day >= ?3 GROUP BY currency, key
                UNION ALL
                SELECT currency, key, sum(cases), sum(placed_minor), sum(collected_minor) FROM analytics_day
                WHERE dim = ?1 AND cday > 0 AND cday >= ?3 AND day < ?3 AND (?2 IS NULL OR currency = ?2) GROUP BY currency, key
                """, 3) { $0.cases -= $1[0]; $0.placedMinor -= $1[1]; $0.recoveredMinor -= $1[2] }
            // The range's rows, added up here (a GROUP BY would sort them first): whole months from
            // analytics_month, the days before the first and after the last whole month from analytics_day.
            let (firstMonth, lastMonth) = Self.wholeMonths(query.from, query.to)
            try db.forEach(Self.rangeRows, arguments + [firstMonth.daysSinceEpoch, lastMonth.daysSinceEpoch]) { row in
                let slot = GroupKey(currency: row.string(0), key: row.string(1))
                var c = groups[slot] ?? AnalyticsCounts()
                c.collectedMinor += row.int(2)
                c.phoneAttempts += row.int(3)
                c.phoneRPC += row.int(4)
                c.violations += row.int(5)
                c.promisesKept += row.int(6)
                c.promisesBroken += row.int(7)
                c.plansCompleted += row.int(8)
                c.plansBroken += row.int(9)
                c.feedbackCount += row.int(10)
                c.scoreCommunication += row.int(11)
                c.scoreAttitude += row.int(12)
                c.scoreResolution += row.int(13)
                c.npsAnswers += row.int(14)
                c.promoters += row.int(15)
                c.detractors += row.int(16)
                c.complaints += row.int(17)
                c.casesAttempted += row.int(18)
                c.casesConnected += row.int(19)
                groups[slot] = c
            }
            // Those last two hold while no contact day comes from `to` on (a range that ends today or
            // later); otherwise the cases reached in the range are counted from the communications in it.
            let laterContacts = try db.queryFirst("""
                SELECT EXISTS (SELECT 1 FROM analytics_day WHERE dim = ?1 AND day >= ?2 AND (contact_days <> 0 OR conversation_days <> 0))
                """, [arguments[0], arguments[2]]) { $0.bool(0) } ?? true
            guard laterContacts else { return }
            for key in groups.keys {
                groups[key]?.casesAttempted = 0
                groups[key]?.casesConnected = 0
            }
            try db.forEach("""
                SELECT dc.currency,
                """ + Self.key(query.groupBy) + """
                    , count(*), sum(x.connected) FROM (
                    SELECT case_id, max(outcome IN ('connected_rpc','connected_third_party')) AS connected
                    FROM communication INDEXED BY communication_outbound_time
                    WHERE direction = 'outbound' AND occurred_at >= ?1 AND occurred_at < ?2 GROUP BY case_id
                ) x JOIN debt_case dc ON dc.id = x.case_id WHERE dc.created_at < ?2 AND (?3 IS NULL OR dc.currency = ?3) GROUP BY 1, 2
                """, [query.fromInstant.millisecondsSinceEpoch, query.toInstant.millisecondsSinceEpoch, query.currency]) { row in
                let slot = GroupKey(currency: row.string(0), key: row.string(1))
                groups[slot, default: AnalyticsCounts()].casesAttempted = row.int(2)
                groups[slot, default: AnalyticsCounts()].casesConnected = row.int(3)
            }
        }
        return groups.filter { $0.value.cases > 0 }
            .sorted { ($0.key.currency, $0.key.key) < ($1.key.currency, $1.key.key) }
            .map { (currency: $0.key.currency, key: $0.key.key.isEmpty ? nil : $0.key.key, counts: $0.value) }
    }

    public func trend(_ metric: TrendMetric, interval: TrendInterval, from: CalendarDate, to: CalendarDate,
                      currency: String?) throws -> [TrendPoint] {
        let bucket: SQL = switch interval {
        case .day: "date(t / 1000, 'unixepoch')"
        case .week: "date(t / 1000, 'unixepoch', '-6 days', 'weekday 1')"
        case .month: "date(t / 1000, 'unixepoch', 'start of month')"
        }
        let source: SQL = switch metric {
        case .collectedMinor: """
            SELECT p.paid_at AS t, p.amount_minor AS n, 1 AS d FROM payment p JOIN debt_case dc ON dc.id = p.case_id
            WHERE p.status = 'applied' AND p.paid_at >= ?1 AND p.paid_at < ?2 AND (?3 IS NULL OR dc.currency = ?3)
            """
        case .csat: """
            SELECT f.created_at AS t, f.score_communication + f.score_attitude + f.score_resolution AS n, 1 AS d
            FROM feedback f JOIN debt_case dc ON dc.id = f.case_id
            WHERE f.created_at >= ?1 AND f.created_at < ?2 AND (?3 IS NULL OR dc.currency = ?3)
            """
        case .complaints: """
            SELECT k.created_at AS t, 1 AS n, 1 AS d FROM complaint k JOIN debt_case dc ON dc.id = k.case_id
            WHERE k.created_at >= ?1 AND k.created_at < ?2 AND (?3 IS NULL OR dc.currency = ?3)
            """
        case .rpcRate: """
            SELECT m.occurred_at AS t, m.outcome = 'connected_rpc' AS n, 1 AS d FROM communication m JOIN debt_case dc ON dc.id = m.case_id
            WHERE m.channel = 'phone' AND m.direction = 'outbound' AND m.occurred_at >= ?1 AND m.occurred_at < ?2
              AND (?3 IS NULL OR dc.currency = ?3)
            """
        }
        let sums = try database.read { db in
            try db.query("SELECT" + bucket + "AS b, sum(n), sum(d) FROM (" + source + ") GROUP BY b ORDER BY b",
                         [from.startInstantUTC.millisecondsSinceEpoch, to.startInstantUTC.millisecondsSinceEpoch, currency]) { row in
                (try row.date(0), row.int(1), row.int(2))
            }
        }
        // Every bucket from the one holding `from` up to `to`, empty ones included.
        var found: [CalendarDate: (Int64, Int64)] = [:]
        for (date, numerator, denominator) in sums { found[date] = (numerator, denominator) }
        var points: [TrendPoint] = []
        var start = Self.bucketStart(of: from, interval)
        while start < to {
            let (numerator, denominator) = found[start] ?? (0, 0)
            points.append(TrendPoint(periodStart: start, numerator: numerator, denominator: denominator))
            start = switch interval {
            case .day: start.adding(days: 1)
            case .week: start.adding(days: 7)
            case .month: start.adding(months: 1, anchorDay: 1)
            }
        }
        return points
    }

    static func bucketStart(of date: CalendarDate, _ interval: TrendInterval) -> CalendarDate {
        switch interval {
        case .day: return date
        case .week:
            // 1970-01-01 was a Thursday: Monday-based weekday from days since the epoch.
            let weekday = Int((date.daysSinceEpoch + 3) % 7 + 7) % 7
            return date.adding(days: -weekday)
        case .month: return CalendarDate(year: date.year, month: date.month, day: 1) ?? date
        }
    }
}
