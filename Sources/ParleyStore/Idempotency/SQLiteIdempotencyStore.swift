import ParleyCore
import ParleySQLite

/// Idempotency keys (contract §1, §15): claimed before the request runs, completed with its
/// response after. Claims go through the single writer, so two concurrent duplicates cannot
/// both win: the second sees `pending` and is told the first is in flight.
public struct SQLiteIdempotencyStore: IdempotencyStore {
    let database: DatabasePool
    static let lifetimeMilliseconds: Int64 = 24 * 3_600 * 1_000

    public init(database: DatabasePool) { self.database = database }

    public func claim(_ scope: IdempotencyScope, requestHash: String, at: Instant) throws -> IdempotencyClaim {
        try database.write { db in
            let existing = try db.queryFirst("""
                SELECT request_hash, state, status, content_type, location, body, created_at FROM idempotency_key
                WHERE user_id = ? AND method = ? AND path = ? AND key = ?
                """, [scope.userID, scope.method, scope.path, scope.key]) { row in
                (hash: row.string(0), state: row.string(1), status: Int(row.int(2)), contentType: row.stringOrNil(3),
                 location: row.stringOrNil(4), body: row.blob(5), createdAt: row.int(6))
            }
            if let existing, existing.createdAt > at.millisecondsSinceEpoch - Self.lifetimeMilliseconds {
                if existing.hash != requestHash { return .mismatch }
                if existing.state == "pending" { return .inFlight }
                return .replay(StoredResponse(status: existing.status, contentType: existing.contentType,
                                              location: existing.location, body: existing.body))
            }
            try db.run("""
                INSERT OR REPLACE INTO idempotency_key (user_id, method, path, key, request_hash, state, created_at)
                VALUES (?, ?, ?, ?, ?, 'pending', ?)
                """, [scope.userID, scope.method, scope.path, scope.key, requestHash, at.millisecondsSinceEpoch])
            // Expired keys are swept as new ones arrive; the index on created_at keeps this cheap.
            try db.run("DELETE FROM idempotency_key WHERE created_at < ?", [at.millisecondsSinceEpoch - Self.lifetimeMilliseconds])
            return .claimed
        }
    }

    public func complete(_ scope: IdempotencyScope, response: StoredResponse) throws {
        try database.write { db in
            try db.run("""
                UPDATE idempotency_key SET state = 'done', status = ?, content_type = ?, location = ?, body = ?
                WHERE user_id = ? AND method = ? AND path = ? AND key = ?
                """, [response.status, response.contentType, response.location, response.body,
                      scope.userID, scope.method, scope.path, scope.key])
        }
    }

    public func release(_ scope: IdempotencyScope) throws {
        try database.write { db in
            try db.run("DELETE FROM idempotency_key WHERE user_id = ? AND method = ? AND path = ? AND key = ?",
                       [scope.userID, scope.method, scope.path, scope.key])
        }
    }
}
