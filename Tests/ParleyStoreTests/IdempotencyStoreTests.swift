import ParleyCore
import ParleySQLite
import ParleyStore
import ParleyTestSupport
import Testing

@Suite struct IdempotencyStoreTests {
    @Test func aDuplicateWhileTheFirstRunsIsInFlightThenReplays() throws {
        try withTemporaryDirectory { directory in
            let pool = try DatabasePool(configuration: DatabaseConfiguration(path: directory + "/i.db"))
            try Schema.migrator.migrate(pool)
            let store = SQLiteIdempotencyStore(database: pool)
            let scope = IdempotencyScope(userID: "usr_1", method: "POST", path: "/v1/cases/c/payments", key: "k")
            let now = Instant(millisecondsSinceEpoch: 1_800_000_000_000)
            #expect(try store.claim(scope, requestHash: "h1", at: now) == .claimed)
            #expect(try store.claim(scope, requestHash: "h1", at: now) == .inFlight)
            #expect(try store.claim(scope, requestHash: "h2", at: now) == .mismatch)
            let stored = StoredResponse(status: 201, contentType: "application/json", location: nil, body: Array("{}".utf8))
            try store.complete(scope, response: stored)
            #expect(try store.claim(scope, requestHash: "h1", at: now) == .replay(stored))
            // After 24 hours the key is free again.
            #expect(try store.claim(scope, requestHash: "h2", at: now.adding(days: 1).adding(seconds: 1)) == .claimed)
            // Another user's identical key is a different scope.
            let other = IdempotencyScope(userID: "usr_2", method: "POST", path: "/v1/cases/c/payments", key: "k")
            #expect(try store.claim(other, requestHash: "h1", at: now) == .claimed)
        }
    }
}
