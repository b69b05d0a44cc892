import ParleyCore
import ParleySQLite

/// Idempotency records (contract §1, §15). The lookup, the guarded operation (its own writes join
/// this transaction through the pool) and the record of its answer commit together or not at all.
public struct SQLiteIdempotencyStore: IdempotencyStore {
    let database: DatabasePool
    static let lifetimeMilliseconds: Int64 = 24 * 3_600 * 1_000

    public init(database: DatabasePool) { self.database = database }

    public func perform<Value>(_ key: IdempotencyKey, requestHash: String, at: Instant,
                               _ operation: () throws -> IdempotentResult<Value>) throws -> IdempotencyOutcome<Value> {
        let cutoff = at.millisecondsSinceEpoch - Self.lifetimeMilliseconds
        return try database.write { db in
            let existing = try db.queryFirst("""
                SELECT request_hash, response FROM idempotency_record WHERE scope = ? AND key = ? AND created_at > ?
                """, [key.scope, key.key, cutoff]) { row in (hash: row.string(0), response: row.blob(1)) }
            if let existing {
                return existing.hash == requestHash ? .replay(existing.response) : .mismatch
            }
            let result = try db.savepointKeeping(operation)
            try db.run("""
                INSERT OR REPLACE INTO idempotency_record (scope, key, request_hash, response, created_at) VALUES (?, ?, ?, ?, ?)
                """, [key.scope, key.key, requestHash, result.recorded, at.millisecondsSinceEpoch])
            // Expired records are swept as new ones arrive; the index on created_at keeps this cheap.
            try db.run("DELETE FROM idempotency_record WHERE created_at <= ?", [cutoff])
            return .performed(result.value)
        }
    }
}

extension Connection {
    /// Runs `operation` in a savepoint and keeps or undoes its changes as its result says.
    func savepointKeeping<Value>(_ operation: () throws -> IdempotentResult<Value>) throws -> IdempotentResult<Value> {
        try savepoint(.operation, keep: \.keepsChanges, operation)
    }
}
