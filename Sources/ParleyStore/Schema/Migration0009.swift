import ParleySQLite

/// Daily analytics rollups, kept in the same transaction as every write of the events they count:
/// by triggers for the events (so every writer keeps them right without knowing), and by the two
/// places that insert cases (`AnalyticsCasePlacement`), where a trigger would slow imports.
/// Migration 0010 replaced the triggers with ones that stage rows for a fold before each commit;
/// the trigger and rebuild code is shared, so on a new database this migration already creates
/// those (with their staging table) and 0010 recreates them.
///
/// Rows are per dimension (`dim`: 0 none, 1 segment, 2 agent, 3 team, 4 creditor), UTC day
/// (days since 1970-01-01), currency and the case's current key in that dimension ('' for none).
/// `cday` is 0, except on rows of events dated before their case was created, which carry the
/// case's creation day: the overview leaves those out when the case was created on or after `to`.
/// A case that changes agent, team or segment moves its whole contribution to the new key.
///
/// Contact days: the days on which a case had an outbound contact, or an outbound conversation.
/// `analytics_day` counts them per day (`contact_days`) and those followed by a later such day of
/// the same case (`contact_days_followed`). While no contact day from T on exists, the cases with
/// a contact day in [F, T) are Σ (days − followed) over [F, T): of a case's days in the range, all
/// but the last are followed. A range that ends in the past counts its cases from the rows, through
/// `communication_outbound_time`.
enum Migration0009 {
    static func apply(_ db: Connection) throws {
        try db.execute("""
            CREATE VIEW analytics_case_group AS
                SELECT c.id AS case_id, v.column1 AS dim,
                    CASE v.column1 WHEN 0 THEN '' WHEN 1 THEN coalesce(c.segment_override, c.segment)
                        WHEN 2 THEN coalesce(c.assigned_to, '') WHEN 3 THEN coalesce(c.team, '') ELSE c.creditor END AS key,
                    c.currency AS currency, c.created_at / 86400000 AS cd,
                    c.principal_minor + c.interest_minor + c.fees_minor AS placed
                FROM debt_case c, (VALUES (0), (1), (2), (3), (4)) v;
            """)
        try db.execute(rollupTable("analytics_day", period: "day"))
        try db.execute("CREATE INDEX analytics_day_early ON analytics_day(dim, cday) WHERE cday > 0")
        // The same by calendar month (the day number of its first day), kept with the day rows,
        // so a long range reads months in the middle and days only at its ends.
        try db.execute(rollupTable("analytics_month", period: "month"))
        try db.execute("""
            -- All-time totals, so "from the start" figures do not sum every day since the first case.
            CREATE TABLE analytics_total (
                dim INTEGER NOT NULL,
                currency TEXT NOT NULL,
                key TEXT NOT NULL,
                cases INTEGER NOT NULL DEFAULT 0,
                placed_minor INTEGER NOT NULL DEFAULT 0,
                recovered_minor INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (dim, currency, key)
            ) STRICT, WITHOUT ROWID;

            CREATE INDEX communication_outbound_time ON communication(occurred_at, case_id, outcome) WHERE direction = 'outbound';
            """)
        try AnalyticsRollupTriggers.create(db)
        try AnalyticsRollupRebuild.run(db)
    }

    /// `analytics_day` and `analytics_month`: a row per (dim, period, currency, key, cday) with
    /// every counted value (`AnalyticsRollupTriggers.valueColumns`), all starting at 0.
    static func rollupTable(_ name: SQL, period: SQL) -> SQL {
        "CREATE TABLE" + name + "(dim INTEGER NOT NULL," + period
            + "INTEGER NOT NULL, currency TEXT NOT NULL, key TEXT NOT NULL, cday INTEGER NOT NULL,"
            + AnalyticsRollupSource.list(AnalyticsRollupTriggers.valueColumns, suffix: "INTEGER NOT NULL DEFAULT 0")
            + ", PRIMARY KEY (dim," + period + ", currency, key, cday)) STRICT, WITHOUT ROWID"
    }
}

