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
        return try database.write { db in
            if let existing = try Self.live(key, at: at, db) {
                return existing.requestHash == requestHash ? .replay(existing.response) : .mismatch
            }
            let result = try db.savepointKeeping(operation)
            try Self.insert(key, requestHash: requestHash, response: result.recorded, at: at, db)
            return .performed(result.value)
        }
    }

    public func recorded(_ key: IdempotencyKey, at: Instant) throws -> (requestHash: String, response: [UInt8])? {
        try database.read { db in try Self.live(key, at: at, db) }
    }

    public func record(_ key: IdempotencyKey, requestHash: String, response: [UInt8], at: Instant) throws {
        try database.write { db in try Self.insert(key, requestHash: requestHash, response: response, at: at, db) }
    }

    /// A record whose answer does not open for `key` (an altered or damaged row) is an error, not
    /// an absence: running the request again could pay twice.
    private static func live(_ key: IdempotencyKey, at: Instant, _ db: Connection) throws -> (requestHash: String, response: [UInt8])? {
        let row = try db.queryFirst("""
            SELECT request_hash, response FROM idempotency_sealed WHERE id = ? AND created_at > ?
            """, [IdempotencySeal.recordID(key), at.millisecondsSinceEpoch - lifetimeMilliseconds]) { row in (row.string(0), row.blob(1)) }
        guard let (requestHash, sealed) = row else { return nil }
        guard let response = IdempotencySeal.open(sealed, for: key) else {
            throw CorruptDataError("the idempotency record of this key does not open")
        }
        return (requestHash, response)
    }

    private static func insert(_ key: IdempotencyKey, requestHash: String, response: [UInt8], at: Instant, _ db: Connection) throws {
        try db.run("""
            INSERT OR REPLACE INTO idempotency_sealed (id, request_hash, response, created_at) VALUES (?, ?, ?, ?)
            """, [IdempotencySeal.recordID(key), requestHash, try IdempotencySeal.seal(response, for: key), at.millisecondsSinceEpoch])
        // Expired records are swept as new ones arrive; the index on created_at keeps this cheap.
        try db.run("DELETE FROM idempotency_sealed WHERE created_at <= ?", [at.millisecondsSinceEpoch - lifetimeMilliseconds])
    }
}

extension Connection {
    /// Runs `operation` in a savepoint and keeps or undoes its changes as its result says.
    func savepointKeeping<Value>(_ operation: () throws -> IdempotentResult<Value>) throws -> IdempotentResult<Value> {
        try savepoint(.operation, keep: \.keepsChanges, operation)
    }
}
