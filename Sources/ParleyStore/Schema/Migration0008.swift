import ParleySQLite

/// Statement links for debtors (tokens stored as SHA-256 only).
enum Migration0008 {
    static func apply(_ db: Connection) throws {
        try db.execute("""
            CREATE TABLE portal_link (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES debt_case(id),
                token_hash BLOB NOT NULL UNIQUE,
                expires_at INTEGER NOT NULL,
                revoked_at INTEGER,
                created_by TEXT NOT NULL,
                created_at INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX portal_link_case ON portal_link(case_id, id);
            """)
    }
}
