import ParleySQLite

/// Plans (instalments kept with their plan), payments with their allocation, promises and
/// adjustments. At most one live plan per case, enforced by a partial unique index.
enum Migration0006 {
    static func apply(_ db: Connection) throws {
        try db.execute("""
            CREATE TABLE payment_plan (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES debt_case(id),
                status TEXT NOT NULL CONSTRAINT plan_status
                    CHECK (status IN ('pending_approval','active','completed','broken','cancelled','rejected')),
                total_minor INTEGER NOT NULL CONSTRAINT plan_total_positive CHECK (total_minor > 0),
                frequency TEXT NOT NULL CONSTRAINT plan_frequency CHECK (frequency IN ('weekly','biweekly','monthly')),
                balance_at_proposal_minor INTEGER NOT NULL,
                installments TEXT NOT NULL,
                settlement_waiver TEXT,
                created_by TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                decided_by TEXT
            ) STRICT;
            CREATE INDEX payment_plan_case ON payment_plan(case_id, id);
            CREATE UNIQUE INDEX payment_plan_one_live ON payment_plan(case_id) WHERE status IN ('pending_approval','active');
            CREATE INDEX payment_plan_active ON payment_plan(id) WHERE status = 'active';

            CREATE TABLE payment (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES debt_case(id),
                amount_minor INTEGER NOT NULL CONSTRAINT payment_amount_positive CHECK (amount_minor > 0),
                currency TEXT NOT NULL,
                paid_at INTEGER NOT NULL,
                method TEXT,
                reference TEXT,
                status TEXT NOT NULL CONSTRAINT payment_status CHECK (status IN ('applied','reversed')),
                allocation TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                reversed_at INTEGER,
                reversed_by TEXT,
                reversal_reason TEXT
            ) STRICT;
            CREATE INDEX payment_case ON payment(case_id, id);
            CREATE INDEX payment_paid_at ON payment(paid_at);

            CREATE TABLE promise (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES debt_case(id),
                amount_minor INTEGER NOT NULL CONSTRAINT promise_amount_positive CHECK (amount_minor > 0),
                due_date TEXT NOT NULL,
                status TEXT NOT NULL CONSTRAINT promise_status CHECK (status IN ('pending','kept','broken')),
                created_by TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                resolved_at INTEGER
            ) STRICT;
            CREATE INDEX promise_case ON promise(case_id, id);
            CREATE INDEX promise_pending ON promise(id) WHERE status = 'pending';

            CREATE TABLE adjustment (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES debt_case(id),
                kind TEXT NOT NULL CONSTRAINT adjustment_kind CHECK (kind IN ('fee_waiver','interest_waiver','settlement_discount')),
                amount_minor INTEGER NOT NULL CONSTRAINT adjustment_amount_positive CHECK (amount_minor > 0),
                reason TEXT NOT NULL,
                status TEXT NOT NULL CONSTRAINT adjustment_status CHECK (status IN ('applied','pending_approval','rejected')),
                waiver TEXT,
                requested_by TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                decided_by TEXT,
                decided_at INTEGER
            ) STRICT;
            CREATE INDEX adjustment_case ON adjustment(case_id, id);
            """)
    }
}
