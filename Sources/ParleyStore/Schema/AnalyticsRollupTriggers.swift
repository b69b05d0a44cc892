import ParleySQLite

/// The triggers that keep the analytics rollups (migration 0009 explains the rollups, 0010 the
/// delta table). Every statement adds signed amounts, so a change is "take the old contribution
/// away, add the new".
enum AnalyticsRollupTriggers {
    static let totalUpsert: SQL = """
        ON CONFLICT (dim, currency, key) DO UPDATE SET cases = cases + excluded.cases,
            placed_minor = placed_minor + excluded.placed_minor, recovered_minor = recovered_minor + excluded.recovered_minor
        """

    /// The value columns of `analytics_day` and `analytics_month`, in table order.
    static let valueColumns: [SQL] = [
        "cases", "placed_minor", "collected_minor", "phone_attempts", "phone_rpc", "violations", "promises_kept", "promises_broken",
        "plans_completed", "plans_broken", "feedback", "score_communication", "score_attitude", "score_resolution", "nps_answers",
        "promoters", "detractors", "complaints", "contact_days", "contact_days_followed", "conversation_days",
        "conversation_days_followed",
    ]

    /// The triggers (and the table they write to). Each adds its rows to `analytics_day_delta`,
    /// which `AnalyticsRollupFold` adds into the day and month rows before the transaction commits.
    static func create(_ db: Connection) throws {
        try db.execute(AnalyticsRollupFold.deltaTable)
        // A new case is added by the code that inserts it (`AnalyticsCasePlacement`), not by a
        // trigger: an import adds 500 cases with two statements, and a trigger on every case
        // insert, even one that does nothing, costs SQLite about 20 µs a row.
        try db.execute("""
            CREATE TRIGGER analytics_payment_insert AFTER INSERT ON payment WHEN NEW.status = 'applied' BEGIN
            """ + paymentStatements("NEW.amount_minor") + "END")
        try db.execute("""
            CREATE TRIGGER analytics_payment_status AFTER UPDATE OF status ON payment
            WHEN (OLD.status = 'applied') <> (NEW.status = 'applied') BEGIN
            """ + paymentStatements("CASE WHEN NEW.status = 'applied' THEN NEW.amount_minor ELSE -NEW.amount_minor END") + "END")

        try db.execute("""
            CREATE TRIGGER analytics_promise_insert AFTER INSERT ON promise WHEN NEW.status IN ('kept','broken') BEGIN
            INSERT INTO analytics_day_delta (dim, day, currency, key, cday, promises_kept, promises_broken)
            SELECT g.dim, unixepoch(NEW.due_date) / 86400, g.currency, g.key,
                CASE WHEN unixepoch(NEW.due_date) / 86400 < g.cd THEN g.cd ELSE 0 END, NEW.status = 'kept', NEW.status = 'broken'
            FROM analytics_case_group g WHERE g.case_id = NEW.case_id
            ; END
            """)
        try db.execute("""
            CREATE TRIGGER analytics_promise_update AFTER UPDATE OF status, due_date ON promise
            WHEN OLD.status IS NOT NEW.status OR OLD.due_date IS NOT NEW.due_date BEGIN
            INSERT INTO analytics_day_delta (dim, day, currency, key, cday, promises_kept, promises_broken)
            SELECT g.dim, x.day, g.currency, g.key, CASE WHEN x.day < g.cd THEN g.cd ELSE 0 END, x.kept, x.broken
            FROM analytics_case_group g, (
                SELECT unixepoch(OLD.due_date) / 86400 AS day, -(OLD.status = 'kept') AS kept, -(OLD.status = 'broken') AS broken
                UNION ALL SELECT unixepoch(NEW.due_date) / 86400, NEW.status = 'kept', NEW.status = 'broken'
            ) x WHERE g.case_id = NEW.case_id
            ; END
            """)

        try db.execute("""
            CREATE TRIGGER analytics_plan_insert AFTER INSERT ON payment_plan WHEN NEW.status IN ('completed','broken') BEGIN
            INSERT INTO analytics_day_delta (dim, day, currency, key, cday, plans_completed, plans_broken)
            SELECT g.dim, NEW.updated_at / 86400000, g.currency, g.key,
                CASE WHEN NEW.updated_at / 86400000 < g.cd THEN g.cd ELSE 0 END, NEW.status = 'completed', NEW.status = 'broken'
            FROM analytics_case_group g WHERE g.case_id = NEW.case_id
            ; END
            """)
        try db.execute("""
            CREATE TRIGGER analytics_plan_update AFTER UPDATE OF status, updated_at ON payment_plan
            WHEN (OLD.status IN ('completed','broken') OR NEW.status IN ('completed','broken'))
                AND (OLD.status IS NOT NEW.status OR OLD.updated_at IS NOT NEW.updated_at) BEGIN
            INSERT INTO analytics_day_delta (dim, day, currency, key, cday, plans_completed, plans_broken)
            SELECT g.dim, x.day, g.currency, g.key, CASE WHEN x.day < g.cd THEN g.cd ELSE 0 END, x.completed, x.broken
            FROM analytics_case_group g, (
                SELECT OLD.updated_at / 86400000 AS day, -(OLD.status = 'completed') AS completed, -(OLD.status = 'broken') AS broken
                UNION ALL SELECT NEW.updated_at / 86400000, NEW.status = 'completed', NEW.status = 'broken'
            ) x WHERE g.case_id = NEW.case_id
            ; END
            """)

        try db.execute("""
            CREATE TRIGGER analytics_feedback_insert AFTER INSERT ON feedback BEGIN
            INSERT INTO analytics_day_delta (dim, day, currency, key, cday, feedback, score_communication, score_attitude, score_resolution,
                nps_answers, promoters, detractors)
            SELECT g.dim, NEW.created_at / 86400000, g.currency, g.key, CASE WHEN NEW.created_at / 86400000 < g.cd THEN g.cd ELSE 0 END,
                1, NEW.score_communication, NEW.score_attitude, NEW.score_resolution, NEW.nps IS NOT NULL,
                coalesce(NEW.nps >= 9, 0), coalesce(NEW.nps <= 6, 0)
            FROM analytics_case_group g WHERE g.case_id = NEW.case_id
            ; END
            """)
        try db.execute("""
            CREATE TRIGGER analytics_complaint_insert AFTER INSERT ON complaint BEGIN
            INSERT INTO analytics_day_delta (dim, day, currency, key, cday, complaints)
            SELECT g.dim, NEW.created_at / 86400000, g.currency, g.key, CASE WHEN NEW.created_at / 86400000 < g.cd THEN g.cd ELSE 0 END, 1
            FROM analytics_case_group g WHERE g.case_id = NEW.case_id
            ; END
            """)

        try db.execute("""
            CREATE TRIGGER analytics_case_moved AFTER UPDATE OF assigned_to, team, segment, segment_override ON debt_case
            WHEN OLD.assigned_to IS NOT NEW.assigned_to OR OLD.team IS NOT NEW.team
                OR coalesce(OLD.segment_override, OLD.segment) IS NOT coalesce(NEW.segment_override, NEW.segment) BEGIN
            """ + AnalyticsRollupMoves.statements + "END")
    }

    static func paymentStatements(_ amount: SQL) -> SQL {
        "INSERT INTO analytics_day_delta (dim, day, currency, key, cday, collected_minor) SELECT g.dim, NEW.paid_at / 86400000, g.currency, g.key,"
            + "CASE WHEN NEW.paid_at / 86400000 < g.cd THEN g.cd ELSE 0 END," + amount
            + "FROM analytics_case_group g WHERE g.case_id = NEW.case_id;"
            + "INSERT INTO analytics_total (dim, currency, key, recovered_minor) SELECT g.dim, g.currency, g.key," + amount
            + "FROM analytics_case_group g WHERE g.case_id = NEW.case_id" + totalUpsert + ";"
    }
}
