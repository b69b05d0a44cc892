import ParleySQLite

/// Surveys (tokens stored as SHA-256 only), feedback, follow-ups and complaints.
enum Migration0007 {
    static func apply(_ db: Connection) throws {
        try db.execute("""
            CREATE TABLE survey (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES debt_case(id),
                communication_id TEXT REFERENCES communication(id),
                agent_id TEXT,
                token_hash BLOB NOT NULL UNIQUE,
                expires_at INTEGER NOT NULL,
                used_at INTEGER,
                created_by TEXT NOT NULL,
                created_at INTEGER NOT NULL
            ) STRICT;

            CREATE TABLE feedback (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES debt_case(id),
                survey_id TEXT NOT NULL UNIQUE REFERENCES survey(id),
                communication_id TEXT,
                agent_id TEXT,
                score_communication INTEGER NOT NULL CONSTRAINT feedback_communication CHECK (score_communication BETWEEN 1 AND 5),
                score_attitude INTEGER NOT NULL CONSTRAINT feedback_attitude CHECK (score_attitude BETWEEN 1 AND 5),
                score_resolution INTEGER NOT NULL CONSTRAINT feedback_resolution CHECK (score_resolution BETWEEN 1 AND 5),
                nps INTEGER CONSTRAINT feedback_nps CHECK (nps BETWEEN 0 AND 10),
                comment TEXT,
                created_at INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX feedback_case ON feedback(case_id, id);
            CREATE INDEX feedback_agent ON feedback(agent_id, id);
            CREATE INDEX feedback_created ON feedback(created_at);

            CREATE TABLE followup (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES debt_case(id),
                feedback_id TEXT NOT NULL REFERENCES feedback(id),
                assigned_team TEXT,
                status TEXT NOT NULL CONSTRAINT followup_status CHECK (status IN ('open','closed')),
                due_at INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                closed_at INTEGER,
                closed_by TEXT,
                note TEXT
            ) STRICT;
            CREATE INDEX followup_status ON followup(status, id);

            CREATE TABLE complaint (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES debt_case(id),
                channel TEXT NOT NULL,
                category TEXT NOT NULL CONSTRAINT complaint_category
                    CHECK (category IN ('harassment','wrong_amount','privacy','staff_attitude','third_party_contact','other')),
                description TEXT NOT NULL,
                severity TEXT NOT NULL CONSTRAINT complaint_severity CHECK (severity IN ('low','medium','high')),
                status TEXT NOT NULL CONSTRAINT complaint_status CHECK (status IN ('open','investigating','resolved','rejected')),
                acknowledge_by INTEGER NOT NULL,
                resolve_by INTEGER NOT NULL,
                acknowledged_at INTEGER,
                resolved_at INTEGER,
                resolution TEXT,
                breached_at INTEGER,
                breaches TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX complaint_status ON complaint(status, id);
            CREATE INDEX complaint_case ON complaint(case_id, id);
            CREATE INDEX complaint_open_deadline ON complaint(resolve_by) WHERE status IN ('open','investigating');
            """)
    }
}
