import ParleySQLite

/// What one case contributes to the analytics rollups, read from its event rows: used to move the
/// contribution when the case's key changes. `filter` narrows a source to the case (`AND case_id = NEW.id`).
struct AnalyticsRollupSource: Sendable {
    let columns: [SQL]
    let select: @Sendable (SQL) -> SQL

    static func list(_ items: [SQL], prefix: SQL = "", suffix: SQL = "") -> SQL {
        items.dropFirst().reduce(prefix + items[0] + suffix) { $0 + "," + prefix + $1 + suffix }
    }

    /// Every source of `analytics_day`: (case_id, day, its columns).
    static let day: [AnalyticsRollupSource] = [
        AnalyticsRollupSource(columns: ["cases", "placed_minor"]) { filter in
            "SELECT * FROM (SELECT id AS case_id, created_at / 86400000 AS day, 1 AS cases,"
                + "principal_minor + interest_minor + fees_minor AS placed_minor FROM debt_case) WHERE true" + filter
        },
        AnalyticsRollupSource(columns: ["collected_minor"]) { filter in
            "SELECT case_id, paid_at / 86400000 AS day, amount_minor AS collected_minor FROM payment WHERE status = 'applied'" + filter
        },
        AnalyticsRollupSource(columns: ["phone_attempts", "phone_rpc", "violations"]) { filter in
            """
            SELECT case_id, occurred_at / 86400000 AS day, channel = 'phone' AND direction = 'outbound' AS phone_attempts,
                channel = 'phone' AND direction = 'outbound' AND outcome = 'connected_rpc' AS phone_rpc,
                CASE WHEN compliance_ok = 0 THEN json_array_length(violations) ELSE 0 END AS violations
            FROM communication WHERE ((channel = 'phone' AND direction = 'outbound') OR compliance_ok = 0)
            """ + filter
        },
        AnalyticsRollupSource(columns: ["promises_kept", "promises_broken"]) { filter in
            """
            SELECT case_id, unixepoch(due_date) / 86400 AS day, status = 'kept' AS promises_kept, status = 'broken' AS promises_broken
            FROM promise WHERE status IN ('kept','broken')
            """ + filter
        },
        AnalyticsRollupSource(columns: ["plans_completed", "plans_broken"]) { filter in
            """
            SELECT case_id, updated_at / 86400000 AS day, status = 'completed' AS plans_completed, status = 'broken' AS plans_broken
            FROM payment_plan WHERE status IN ('completed','broken')
            """ + filter
        },
        AnalyticsRollupSource(columns: ["feedback", "score_communication", "score_attitude", "score_resolution", "nps_answers",
                                        "promoters", "detractors"]) { filter in
            """
            SELECT case_id, created_at / 86400000 AS day, 1 AS feedback, score_communication, score_attitude, score_resolution,
                nps IS NOT NULL AS nps_answers, coalesce(nps >= 9, 0) AS promoters, coalesce(nps <= 6, 0) AS detractors
            FROM feedback WHERE true
            """ + filter
        },
        AnalyticsRollupSource(columns: ["complaints"]) { filter in
            "SELECT case_id, created_at / 86400000 AS day, 1 AS complaints FROM complaint WHERE true" + filter
        },
        AnalyticsRollupSource(columns: ["contact_days", "contact_days_followed", "conversation_days", "conversation_days_followed"]) { filter in
            """
            SELECT case_id, day, kind = 0 AS contact_days, kind = 0 AND followed AS contact_days_followed, kind = 1 AS conversation_days,
                kind = 1 AND followed AS conversation_days_followed FROM (
            """ + contactDays(filter) + ")"
        },
    ]

    /// (case_id, cases, placed_minor, recovered_minor) for `analytics_total`.
    static func totals(_ filter: SQL) -> SQL {
        "SELECT * FROM (SELECT id AS case_id, 1 AS cases, principal_minor + interest_minor + fees_minor AS placed_minor, 0 AS recovered_minor"
            + "FROM debt_case) WHERE true" + filter
            + "UNION ALL SELECT case_id, 0, 0, amount_minor FROM payment WHERE status = 'applied'" + filter
    }

    /// (case_id, kind, day, followed) for the contact-day columns: each day with an outbound contact
    /// (kind 0) or conversation (kind 1) and whether a later one of the same kind follows.
    static func contactDays(_ filter: SQL) -> SQL {
        """
        SELECT case_id, kind, day, next IS NOT NULL AS followed FROM (
            SELECT case_id, kind, day, lead(day) OVER w AS next FROM (
                SELECT DISTINCT case_id, 0 AS kind, occurred_at / 86400000 AS day FROM communication WHERE direction = 'outbound'
        """ + filter + """
                UNION ALL
                SELECT DISTINCT case_id, 1, occurred_at / 86400000 FROM communication
                WHERE direction = 'outbound' AND outcome IN ('connected_rpc','connected_third_party')
        """ + filter + ") WINDOW w AS (PARTITION BY case_id, kind ORDER BY day))"
    }
}

/// The statements of the trigger that moves a case's whole contribution from its old keys to its
/// new ones when its agent, team or segment changes.
enum AnalyticsRollupMoves {
    /// (dim, key, sign): −1 for each old key that changed, +1 for its new key.
    static let moves: SQL = """
        (SELECT 1 AS dim, coalesce(OLD.segment_override, OLD.segment) AS key, -1 AS sign
            WHERE coalesce(OLD.segment_override, OLD.segment) IS NOT coalesce(NEW.segment_override, NEW.segment)
        UNION ALL SELECT 1, coalesce(NEW.segment_override, NEW.segment), 1
            WHERE coalesce(OLD.segment_override, OLD.segment) IS NOT coalesce(NEW.segment_override, NEW.segment)
        UNION ALL SELECT 2, coalesce(OLD.assigned_to, ''), -1 WHERE OLD.assigned_to IS NOT NEW.assigned_to
        UNION ALL SELECT 2, coalesce(NEW.assigned_to, ''), 1 WHERE OLD.assigned_to IS NOT NEW.assigned_to
        UNION ALL SELECT 3, coalesce(OLD.team, ''), -1 WHERE OLD.team IS NOT NEW.team
        UNION ALL SELECT 3, coalesce(NEW.team, ''), 1 WHERE OLD.team IS NOT NEW.team)
        """
    static let cday: SQL = "CASE WHEN s.day < NEW.created_at / 86400000 THEN NEW.created_at / 86400000 ELSE 0 END"

    static var statements: SQL {
        var sql: SQL = ""
        for source in AnalyticsRollupSource.day {
            sql = sql + "INSERT INTO analytics_day_delta (dim, day, currency, key, cday," + AnalyticsRollupSource.list(source.columns)
                + ") SELECT m.dim, s.day, NEW.currency, m.key," + cday + ","
                + AnalyticsRollupSource.list(source.columns, prefix: "m.sign * s.") + "FROM" + moves + "m, ("
                + source.select("AND case_id = NEW.id") + ") s;"
        }
        return sql + """
            INSERT INTO analytics_total (dim, currency, key, cases, placed_minor, recovered_minor)
            SELECT m.dim, NEW.currency, m.key, m.sign * s.cases, m.sign * s.placed_minor, m.sign * s.recovered_minor FROM
            """ + moves + "m, (" + AnalyticsRollupSource.totals("AND case_id = NEW.id") + ") s WHERE true"
            + AnalyticsRollupTriggers.totalUpsert + ";"
    }
}
