import ParleySQLite

/// Templates and messages. A message being delivered carries `claimed_at`; the partial index
/// finds the due ones without scanning sent history.
enum Migration0005 {
    static func apply(_ db: Connection) throws {
        try db.execute("""
            CREATE TABLE template (
                name TEXT PRIMARY KEY,
                channel TEXT NOT NULL CONSTRAINT template_channel CHECK (channel IN ('sms','email')),
                subject TEXT,
                body TEXT NOT NULL,
                version INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                updated_by TEXT NOT NULL
            ) STRICT;

            CREATE TABLE message (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES debt_case(id),
                channel TEXT NOT NULL CONSTRAINT message_channel CHECK (channel IN ('sms','email')),
                to_address TEXT,
                subject TEXT,
                body TEXT NOT NULL,
                status TEXT NOT NULL CONSTRAINT message_status
                    CHECK (status IN ('scheduled','queued','sent','failed','suppressed')),
                scheduled_for INTEGER NOT NULL,
                attempts INTEGER NOT NULL,
                next_attempt_at INTEGER,
                violations TEXT NOT NULL,
                template TEXT,
                reminder_key TEXT UNIQUE,
                created_by TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                sent_at INTEGER,
                last_error TEXT,
                communication_id TEXT,
                claimed_at INTEGER
            ) STRICT;
            CREATE INDEX message_due ON message(scheduled_for, id) WHERE status IN ('scheduled','queued');
            CREATE INDEX message_case ON message(case_id, id);
            CREATE INDEX message_status ON message(status, id);
            CREATE INDEX message_claimed ON message(claimed_at) WHERE claimed_at IS NOT NULL;
            """)
    }
}
