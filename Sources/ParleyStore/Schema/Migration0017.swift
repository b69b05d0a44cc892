import ParleyCore
import ParleySQLite

/// Idempotency records filed by a digest of their scope and key, answers sealed with a key derived
/// from them (`IdempotencySeal`): the table no longer holds callers, paths, keys or answers in the
/// clear. The live records move over, sealed, so a retry after the upgrade still replays.
enum Migration0017 {
    static func apply(_ db: Connection) throws {
        try db.execute("""
            CREATE TABLE idempotency_sealed (
                id TEXT NOT NULL PRIMARY KEY,
                request_hash TEXT NOT NULL,
                response BLOB NOT NULL,
                created_at INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX idempotency_sealed_created ON idempotency_sealed(created_at);
            """)
        let records = try db.query("SELECT scope, key, request_hash, response, created_at FROM idempotency_record") { row in
            (IdempotencyKey(scope: row.string(0), key: row.string(1)), row.string(2), row.blob(3), row.int(4))
        }
        for (key, requestHash, response, createdAt) in records {
            try db.run("INSERT INTO idempotency_sealed (id, request_hash, response, created_at) VALUES (?, ?, ?, ?)",
                       [IdempotencySeal.recordID(key), requestHash, try IdempotencySeal.seal(response, for: key), createdAt])
        }
        try db.execute("DROP TABLE idempotency_record")
    }
}
