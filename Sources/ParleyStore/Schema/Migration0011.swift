import ParleySQLite

/// Adjustments gain the status `reversed`: a settlement waiver that a payment reversal takes back
/// (contract §5) stays on record as reversed instead of reading as applied. SQLite cannot change a
/// CHECK constraint in place, so the table is rebuilt with its rows (no trigger, view or foreign
/// key refers to it).
enum Migration0011 {
    static func apply(_ db: Connection) throws {
        try db.execute("""
            CREATE TABLE adjustment_rebuilt (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES debt_case(id),
                kind TEXT NOT NULL CONSTRAINT adjustment_kind CHECK (kind IN ('fee_waiver','interest_waiver','settlement_discount')),
                amount_minor INTEGER NOT NULL CONSTRAINT adjustment_amount_positive CHECK (amount_minor > 0),
                reason TEXT NOT NULL,
                status TEXT NOT NULL CONSTRAINT adjustment_status
                    CHECK (status IN ('applied','pending_approval','rejected','reversed')),
                waiver TEXT,
                requested_by TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                decided_by TEXT,
                decided_at INTEGER
            ) STRICT;
            INSERT INTO adjustment_rebuilt (id, case_id, kind, amount_minor, reason, status, waiver, requested_by, created_at,
                                            decided_by, decided_at)
                SELECT id, case_id, kind, amount_minor, reason, status, waiver, requested_by, created_at, decided_by, decided_at
                FROM adjustment;
            DROP TABLE adjustment;
            ALTER TABLE adjustment_rebuilt RENAME TO adjustment;
            CREATE INDEX adjustment_case ON adjustment(case_id, id);
            """)
    }
}
