import ParleyCore
import ParleySQLite
import ParleyStore
import ParleyTestSupport
import Testing

@Suite struct IdempotencyStoreTests {
    struct Boom: Error {}

    private func withStore(_ body: (DatabasePool, SQLiteIdempotencyStore) throws -> Void) throws {
        try withTemporaryDirectory { directory in
            let pool = try DatabasePool(configuration: DatabaseConfiguration(path: directory + "/i.db"))
            try Schema.migrate(pool)
            try pool.write { try $0.execute("CREATE TABLE effect (v INTEGER) STRICT") }
            try body(pool, SQLiteIdempotencyStore(database: pool))
        }
    }

    private func effects(_ pool: DatabasePool) throws -> Int64 {
        try pool.read { try $0.queryFirst("SELECT count(*) FROM effect") { $0.int(0) } } ?? -1
    }

    /// The guarded operation writes through the pool, as a service does.
    private func operation(_ pool: DatabasePool, keeps: Bool = true) -> () throws -> IdempotentResult<String> {
        {
            _ = try pool.write { try $0.run("INSERT INTO effect VALUES (1)") }
            return IdempotentResult(value: "ran", recorded: Array("answer".utf8), keepsChanges: keeps)
        }
    }

    @Test func theFirstRunIsRecordedWithItsEffectAndRepeatsReplay() throws {
        try withStore { pool, store in
            let key = IdempotencyKey(scope: "usr_1 POST /v1/cases/c/payments", key: "k")
            let now = Instant(millisecondsSinceEpoch: 1_800_000_000_000)
            guard case .performed("ran") = try store.perform(key, requestHash: "h1", at: now, operation(pool)) else {
                Issue.record("first use did not run"); return
            }
            guard case .replay(let recorded) = try store.perform(key, requestHash: "h1", at: now, operation(pool)) else {
                Issue.record("repeat did not replay"); return
            }
            #expect(recorded == Array("answer".utf8))
            guard case .mismatch = try store.perform(key, requestHash: "h2", at: now, operation(pool)) else {
                Issue.record("other body was not a mismatch"); return
            }
            #expect(try effects(pool) == 1)
            // Another caller's identical key is a different scope; after 24 hours the key is free again.
            let other = IdempotencyKey(scope: "usr_2 POST /v1/cases/c/payments", key: "k")
            guard case .performed = try store.perform(other, requestHash: "h1", at: now, operation(pool)) else {
                Issue.record("other scope did not run"); return
            }
            guard case .performed = try store.perform(key, requestHash: "h2", at: now.adding(days: 1), operation(pool)) else {
                Issue.record("expired key did not run"); return
            }
            #expect(try effects(pool) == 3)
        }
    }

    /// A record that does not open (altered in the file) is an error: the guarded payment must not
    /// run a second time.
    @Test func anAlteredRecordIsAnErrorNotAFreshStart() throws {
        try withStore { pool, store in
            let key = IdempotencyKey(scope: "usr_1 POST /v1/cases/c/payments", key: "k-altered")
            let now = Instant(millisecondsSinceEpoch: 1_800_000_000_000)
            _ = try store.perform(key, requestHash: "h", at: now, operation(pool))
            _ = try pool.write { db in try db.run("UPDATE idempotency_sealed SET response = CAST('x' AS BLOB)") }
            #expect(throws: CorruptDataError.self) { try store.perform(key, requestHash: "h", at: now, operation(pool)) }
            #expect(try effects(pool) == 1)
        }
    }

    @Test func aRefusalIsRecordedWithoutItsChanges() throws {
        try withStore { pool, store in
            let key = IdempotencyKey(scope: "s", key: "refused")
            let now = Instant(millisecondsSinceEpoch: 1_800_000_000_000)
            _ = try store.perform(key, requestHash: "h", at: now, operation(pool, keeps: false))
            #expect(try effects(pool) == 0)
            guard case .replay = try store.perform(key, requestHash: "h", at: now, operation(pool)) else {
                Issue.record("refusal was not recorded"); return
            }
        }
    }

    @Test func aFailureRecordsNothingAndKeepsNothing() throws {
        try withStore { pool, store in
            let key = IdempotencyKey(scope: "s", key: "failed")
            let now = Instant(millisecondsSinceEpoch: 1_800_000_000_000)
            #expect(throws: Boom.self) {
                _ = try store.perform(key, requestHash: "h", at: now) { () throws -> IdempotentResult<String> in
                    _ = try pool.write { try $0.run("INSERT INTO effect VALUES (1)") }
                    throw Boom()
                }
            }
            #expect(try effects(pool) == 0)
            guard case .performed = try store.perform(key, requestHash: "h", at: now, operation(pool)) else {
                Issue.record("retry after a failure did not run"); return
            }
            #expect(try effects(pool) == 1)
        }
    }
}
