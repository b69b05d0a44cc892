import ParleySQLite

/// The communication record (append-only), compliance alerts and the stored compliance policy.
/// The partial indexes serve the compliance history series one indexed range each, so a judgement
/// costs the same on a case with ten contacts or ten thousand.
enum Migration0004 {
    static func apply(_ db: Connection) throws {
        try db.execute("""
            CREATE TABLE communication (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES debt_case(id),
                debtor_id TEXT NOT NULL REFERENCES debtor(id),
                channel TEXT NOT NULL CONSTRAINT communication_channel
                    CHECK (channel IN ('phone','sms','email','letter','visit','portal')),
                direction TEXT NOT NULL CONSTRAINT communication_direction CHECK (direction IN ('outbound','inbound')),
                outcome TEXT NOT NULL,
                occurred_at INTEGER NOT NULL,
                duration_seconds INTEGER,
                summary TEXT,
                content TEXT,
                to_address TEXT,
                compliance_ok INTEGER,
                violations TEXT NOT NULL,
                next_allowed_at INTEGER,
                recorded_by TEXT NOT NULL,
                recorded_at INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX communication_case_time ON communication(case_id, occurred_at, id);
            CREATE INDEX communication_case_channel ON communication(case_id, channel, direction, occurred_at);
            CREATE INDEX communication_debtor_reached ON communication(debtor_id, occurred_at) WHERE outcome = 'connected_rpc';
            CREATE INDEX communication_case_rpc_phone ON communication(case_id, occurred_at)
                WHERE outcome = 'connected_rpc' AND channel = 'phone';
            CREATE INDEX communication_number_unanswered ON communication(to_address, occurred_at)
                WHERE channel = 'phone' AND direction = 'outbound' AND outcome IN ('no_answer','voicemail','busy');
            CREATE TRIGGER communication_no_update BEFORE UPDATE ON communication
                BEGIN SELECT RAISE(ABORT, 'communications are permanent'); END;
            CREATE TRIGGER communication_no_delete BEFORE DELETE ON communication
                BEGIN SELECT RAISE(ABORT, 'communications are permanent'); END;

            CREATE TABLE compliance_alert (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES debt_case(id),
                communication_id TEXT REFERENCES communication(id),
                rule TEXT NOT NULL,
                message TEXT NOT NULL,
                status TEXT NOT NULL CONSTRAINT compliance_alert_status CHECK (status IN ('open','resolved')),
                created_at INTEGER NOT NULL,
                resolved_at INTEGER,
                resolved_by TEXT,
                resolution TEXT
            ) STRICT;
            CREATE INDEX compliance_alert_status ON compliance_alert(status, id);
            CREATE INDEX compliance_alert_case ON compliance_alert(case_id, id);

            CREATE TABLE compliance_policy (
                id INTEGER PRIMARY KEY CONSTRAINT compliance_policy_single CHECK (id = 1),
                document TEXT NOT NULL,
                version INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                updated_by TEXT NOT NULL
            ) STRICT;
            """)
    }
}
