import ParleySQLite

/// Debtors (phones and e-mails as JSON, with a contact index for search), cases with ledger totals, disputes and the case
/// timeline. Money columns are INTEGER minor units; the ledger totals are maintained by the
/// payment and adjustment stores in the same transaction as each ledger entry.
enum Migration0002 {
    static func apply(_ db: Connection) throws {
        try db.execute("""
            CREATE TABLE debtor (
                id TEXT PRIMARY KEY,
                external_ref TEXT UNIQUE,
                name TEXT NOT NULL,
                timezone TEXT NOT NULL,
                language TEXT,
                address TEXT,
                national_id TEXT,
                cease_communication INTEGER NOT NULL DEFAULT 0,
                attorney_represented INTEGER NOT NULL DEFAULT 0,
                attorney TEXT,
                bankruptcy INTEGER NOT NULL DEFAULT 0,
                deceased INTEGER NOT NULL DEFAULT 0,
                vulnerable INTEGER NOT NULL DEFAULT 0,
                breathing_space_until TEXT,
                phones TEXT NOT NULL DEFAULT '[]',
                emails TEXT NOT NULL DEFAULT '[]',
                version INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            ) STRICT;

            -- Phone numbers and folded e-mail addresses, for search; the full entries live in debtor.phones/emails.
            CREATE TABLE debtor_contact (
                value TEXT NOT NULL,
                debtor_id TEXT NOT NULL REFERENCES debtor(id),
                PRIMARY KEY (value, debtor_id)
            ) STRICT, WITHOUT ROWID;

            CREATE TABLE debt_case (
                id TEXT PRIMARY KEY,
                debtor_id TEXT NOT NULL REFERENCES debtor(id),
                creditor TEXT NOT NULL,
                external_ref TEXT NOT NULL,
                currency TEXT NOT NULL,
                principal_minor INTEGER NOT NULL CONSTRAINT case_principal_non_negative CHECK (principal_minor >= 0),
                interest_minor INTEGER NOT NULL CONSTRAINT case_interest_non_negative CHECK (interest_minor >= 0),
                fees_minor INTEGER NOT NULL CONSTRAINT case_fees_non_negative CHECK (fees_minor >= 0),
                paid_fees_minor INTEGER NOT NULL DEFAULT 0,
                paid_interest_minor INTEGER NOT NULL DEFAULT 0,
                paid_principal_minor INTEGER NOT NULL DEFAULT 0,
                waived_fees_minor INTEGER NOT NULL DEFAULT 0,
                waived_interest_minor INTEGER NOT NULL DEFAULT 0,
                waived_principal_minor INTEGER NOT NULL DEFAULT 0,
                delinquent_since TEXT NOT NULL,
                jurisdiction TEXT NOT NULL,
                assigned_to TEXT,
                team TEXT,
                priority TEXT NOT NULL DEFAULT 'normal',
                tags TEXT NOT NULL DEFAULT '[]',
                status TEXT NOT NULL,
                status_before TEXT,
                close_reason TEXT,
                segment TEXT NOT NULL,
                segment_override TEXT,
                source TEXT,
                created_by TEXT NOT NULL,
                version INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                CONSTRAINT case_creditor_ref UNIQUE (creditor, external_ref),
                CONSTRAINT case_ledger_within_placed CHECK (
                    paid_fees_minor + paid_interest_minor + paid_principal_minor
                    + waived_fees_minor + waived_interest_minor + waived_principal_minor
                    <= principal_minor + interest_minor + fees_minor)
            ) STRICT;
            -- Open cases are the common case (and every imported case is open): a filter on `open` walks
            -- the id order and finds a page at once, so only the other statuses are indexed. Queries name
            -- the status as a literal so the planner can see that this index applies.
            CREATE INDEX debt_case_status ON debt_case(status, id) WHERE status <> 'open';
            CREATE INDEX debt_case_debtor ON debt_case(debtor_id, id);
            -- Partial: freshly imported cases are unassigned, and those index entries would never be read.
            CREATE INDEX debt_case_assigned ON debt_case(assigned_to, id) WHERE assigned_to IS NOT NULL;
            CREATE INDEX debt_case_team ON debt_case(team, id) WHERE team IS NOT NULL;
            -- No index on the segment: there are four, each common, so a segment filter walking the
            -- id order finds a page of matches quickly, and imports skip one index write per case.

            CREATE TABLE dispute (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES debt_case(id),
                reason TEXT NOT NULL,
                status TEXT NOT NULL CONSTRAINT dispute_status CHECK (status IN ('open','upheld','rejected')),
                note TEXT,
                opened_by TEXT NOT NULL,
                opened_at INTEGER NOT NULL,
                resolved_by TEXT,
                resolved_at INTEGER
            ) STRICT;
            CREATE INDEX dispute_case ON dispute(case_id, id);

            CREATE TABLE case_event (
                seq INTEGER PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES debt_case(id),
                at INTEGER NOT NULL,
                kind TEXT NOT NULL,
                actor TEXT NOT NULL,
                summary TEXT NOT NULL,
                ref TEXT
            ) STRICT;
            CREATE INDEX case_event_case ON case_event(case_id, at, seq);
            """)
    }
}
