import ParleyCore
import ParleySQLite

/// Stages a new communication's analytics rows (see `AnalyticsRollupFold`), in the transaction
/// that inserts it: phone attempts, conversations and violations by day, and the contact days of
/// migration 0009.
///
/// The other events keep their rollups by triggers. Communications are the most frequent write,
/// and a trigger costs SQLite about 20 µs a firing before it does anything; `SQLiteCommunicationStore`
/// is the only code that inserts communications into a database whose rollups exist (the world
/// generator inserts its rows before migration 0009 and rebuilds them there), so it calls this.
enum AnalyticsCommunicationRollup {
    static func add(_ c: Communication, _ db: Connection) throws {
        let phoneAttempt = c.channel == .phone && c.direction == .outbound
        let violations = c.compliance.map { $0.ok ? 0 : $0.violations.count } ?? 0
        if phoneAttempt || violations > 0 {
            try db.run(counts, [c.caseID, c.occurredAt.millisecondsSinceEpoch, phoneAttempt,
                                phoneAttempt && c.outcome == .connectedRPC, violations])
        }
        if c.direction == .outbound {
            let conversation = c.outcome == .connectedRPC || c.outcome == .connectedThirdParty
            try db.run(contactDays, [c.caseID, c.occurredAt.millisecondsSinceEpoch, conversation, c.id])
        }
    }

    /// ?1 case, ?2 occurred_at, ?3 a phone attempt, ?4 a phone conversation, ?5 violations.
    static let counts: SQL = """
        INSERT INTO analytics_day_delta (dim, day, currency, key, cday, phone_attempts, phone_rpc, violations)
        SELECT g.dim, ?2 / 86400000, g.currency, g.key, CASE WHEN ?2 / 86400000 < g.cd THEN g.cd ELSE 0 END, ?3, ?4, ?5
        FROM analytics_case_group g WHERE g.case_id = ?1
        """

    /// ?1 case, ?2 occurred_at, ?3 a conversation, ?4 the communication's id. For each kind (0
    /// contact, 1 conversation) for which it makes a new contact day d of its case: +1 day at d,
    /// followed when a later such day (nx) exists; and the previous such day p becomes followed
    /// when it was the last one.
    static let contactDays: SQL = """
        INSERT INTO analytics_day_delta (dim, day, currency, key, cday, contact_days, contact_days_followed, conversation_days,
            conversation_days_followed)
        SELECT g.dim, r.day, g.currency, g.key, CASE WHEN r.day < g.cd THEN g.cd ELSE 0 END,
            (r.kind = 0) * r.days, (r.kind = 0) * r.followed, (r.kind = 1) * r.days, (r.kind = 1) * r.followed
        FROM analytics_case_group g, (
            SELECT k.kind AS kind, CASE v.column1 WHEN 0 THEN k.d ELSE k.p END AS day, v.column1 = 0 AS days,
                CASE v.column1 WHEN 0 THEN k.nx IS NOT NULL ELSE 1 END AS followed
            FROM (
                SELECT 0 AS kind, x.d AS d,
                    (SELECT max(occurred_at) / 86400000 FROM communication WHERE case_id = ?1 AND direction = 'outbound'
                        AND occurred_at < x.d * 86400000) AS p,
                    (SELECT min(occurred_at) / 86400000 FROM communication WHERE case_id = ?1 AND direction = 'outbound'
                        AND occurred_at >= (x.d + 1) * 86400000) AS nx
                FROM (SELECT ?2 / 86400000 AS d) x
                WHERE NOT EXISTS (SELECT 1 FROM communication WHERE case_id = ?1 AND direction = 'outbound'
                    AND occurred_at >= x.d * 86400000 AND occurred_at < (x.d + 1) * 86400000 AND id <> ?4)
                UNION ALL
                SELECT 1, x.d,
                    (SELECT max(occurred_at) / 86400000 FROM communication WHERE case_id = ?1 AND direction = 'outbound'
                        AND outcome IN ('connected_rpc','connected_third_party') AND occurred_at < x.d * 86400000),
                    (SELECT min(occurred_at) / 86400000 FROM communication WHERE case_id = ?1 AND direction = 'outbound'
                        AND outcome IN ('connected_rpc','connected_third_party') AND occurred_at >= (x.d + 1) * 86400000)
                FROM (SELECT ?2 / 86400000 AS d) x
                WHERE ?3 AND NOT EXISTS (SELECT 1 FROM communication WHERE case_id = ?1 AND direction = 'outbound'
                    AND outcome IN ('connected_rpc','connected_third_party')
                    AND occurred_at >= x.d * 86400000 AND occurred_at < (x.d + 1) * 86400000 AND id <> ?4)
            ) k, (VALUES (0), (1)) v
            WHERE v.column1 = 0 OR (k.p IS NOT NULL AND k.nx IS NULL)
        ) r
        WHERE g.case_id = ?1
        """
}
