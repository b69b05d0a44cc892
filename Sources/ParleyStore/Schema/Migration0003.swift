import ParleySQLite

/// Idempotency records written in the same transaction as the mutation they guard. The earlier
/// claim table (a claim committed apart from its mutation) is dropped: its rows live 24 hours.
enum Migration0003 {
    static func apply(_ db: Connection) throws {
        try db.execute("""
            DROP TABLE idempotency_key;
            CREATE TABLE idempotency_record (
                scope TEXT NOT NULL,
                key TEXT NOT NULL,
                request_hash TEXT NOT NULL,
                response BLOB NOT NULL,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (scope, key)
            ) STRICT;
            CREATE INDEX idempotency_record_created ON idempotency_record(created_at);
            """)
    }
}
