import ParleySQLite

/// The schema, as ordered migrations. Released migrations are never edited; add a new one.
/// Conventions: singular table names, STRICT tables, money in INTEGER `_minor` columns (no REAL
/// anywhere), instants in INTEGER `_at` columns (Unix milliseconds, UTC), dates as TEXT `YYYY-MM-DD`.
public enum Schema {
    static var migrator: Migrator {
        var migrator = Migrator()
        migrator.register("0001-users-keys-audit", Migration0001.apply)
        migrator.register("0002-debtors-cases-disputes", Migration0002.apply)
        migrator.register("0003-idempotency-records", Migration0003.apply)
        migrator.register("0004-communications-compliance", Migration0004.apply)
        migrator.register("0005-templates-messages", Migration0005.apply)
        migrator.register("0006-plans-payments-promises-adjustments", Migration0006.apply)
        migrator.register("0007-feedback-complaints", Migration0007.apply)
        migrator.register("0008-portal-links", Migration0008.apply)
        migrator.register(analyticsRollups, Migration0009.apply)
        migrator.register("0010-analytics-staged-rollups", Migration0010.apply)
        migrator.register("0011-adjustment-reversed", Migration0011.apply)
        migrator.register("0012-outbound-time-index-in-id-order", Migration0012.apply)
        migrator.register("0013-contact-index-by-generation", Migration0013.apply)
        migrator.register("0014-timeline-reads-communications", Migration0014.apply)
        migrator.register("0015-covering-indexes-of-a-cases-contacts", Migration0015.apply)
        migrator.register("0016-check-lists-compared-one-by-one", Migration0016.apply)
        migrator.register("0017-idempotency-records-sealed", Migration0017.apply)
        return migrator
    }

    /// Applies the pending migrations (those before `stoppingBefore` only, when given) and, once the
    /// analytics staging table exists, installs the step every commit of `database` runs first
    /// (folding the staged rows into the rollups); returns the migrations applied. The only way
    /// to migrate: a database migrated otherwise would keep staged rows unfolded.
    @discardableResult
    public static func migrate(_ database: DatabasePool, stoppingBefore id: String? = nil) throws -> [String] {
        let applied = try (id.map { migrator.stopping(before: $0) } ?? migrator).migrate(database)
        // Short of the rollups (a bulk load that builds them afterwards) there is nothing to fold.
        let staging = try database.read { db in
            try db.queryFirst("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'analytics_day_delta'") { _ in true }
        }
        database.beforeEveryCommit(beforeCommit(foldsRollups: staging == true))
        return applied
    }

    /// What every write transaction does just before it commits: it writes the audit entries staged
    /// in it, then folds the staged rollup rows (once the schema has the rollups).
    static func beforeCommit(foldsRollups: Bool) -> @Sendable (Connection) throws -> Void {
        { db in
            try AuditLog.writeStaged(db)
            if foldsRollups { try AnalyticsRollupFold.run(db) }
        }
    }

    /// The migration that adds the analytics rollups and builds them from the event tables.
    public static let analyticsRollups = "0009-analytics-rollups"

}

enum Migration0001 {
    static func apply(_ db: Connection) throws {
        try db.execute("""
            CREATE TABLE app_user (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                role TEXT NOT NULL CONSTRAINT app_user_role CHECK (role IN ('agent','supervisor','compliance','analyst','admin')),
                team TEXT,
                active INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                version INTEGER NOT NULL
            ) STRICT;

            CREATE TABLE api_key (
                id TEXT PRIMARY KEY,
                user_id TEXT NOT NULL REFERENCES app_user(id),
                key_hash BLOB NOT NULL UNIQUE,
                last4 TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                revoked_at INTEGER
            ) STRICT;
            CREATE INDEX api_key_user ON api_key(user_id);

            CREATE TABLE audit_log (
                seq INTEGER PRIMARY KEY,
                at INTEGER NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                entity TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                detail TEXT NOT NULL,
                hash TEXT NOT NULL
            ) STRICT;
            CREATE INDEX audit_log_entity ON audit_log(entity_id, seq);
            CREATE INDEX audit_log_actor ON audit_log(actor, seq);
            CREATE INDEX audit_log_at ON audit_log(at, seq);
            CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
            CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

            CREATE TABLE idempotency_key (
                user_id TEXT NOT NULL,
                method TEXT NOT NULL,
                path TEXT NOT NULL,
                key TEXT NOT NULL,
                request_hash TEXT NOT NULL,
                state TEXT NOT NULL CONSTRAINT idempotency_key_state CHECK (state IN ('pending','done')),
                status INTEGER,
                content_type TEXT,
                location TEXT,
                body BLOB,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (user_id, method, path, key)
            ) STRICT;
            CREATE INDEX idempotency_key_created ON idempotency_key(created_at);
            """)
    }
}
