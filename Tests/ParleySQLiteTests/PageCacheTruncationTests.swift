import CSQLite
@testable import ParleySQLite
import Testing

@Suite struct PageCacheTruncationTests {
    private func cache() -> TrackedCache {
        TrackedCache(inner: OpaquePointer(bitPattern: 1)!, methods: sqlite3_pcache_methods2())
    }

    @Test func anEmptyCacheNeedsNoTruncation() {
        #expect(!cache().mayHold(atOrAbove: 0))
        #expect(!cache().mayHold(atOrAbove: 1))
    }

    @Test func pagesCreatedAtOrPastTheLimitAreTruncated() {
        var tracked = cache()
        tracked.created(10)
        tracked.created(4)
        #expect(tracked.mayHold(atOrAbove: 10))
        #expect(!tracked.mayHold(atOrAbove: 11))
        tracked.truncated(below: 8)
        #expect(!tracked.mayHold(atOrAbove: 8))
        #expect(tracked.mayHold(atOrAbove: 7))
        tracked.truncated(below: 0)
        #expect(!tracked.mayHold(atOrAbove: 0))
    }

    /// A rebalance swaps two pages through a temporary number: the 1 GiB lock byte's page.
    @Test func aRebalancesTemporaryNumberCountsOnlyWhileAPageHasIt() {
        var tracked = cache()
        tracked.created(40)
        tracked.created(41)
        tracked.moved(from: 41, to: 262_145)
        #expect(tracked.mayHold(atOrAbove: 42))
        tracked.moved(from: 40, to: 41)
        tracked.moved(from: 262_145, to: 40)
        #expect(!tracked.mayHold(atOrAbove: 42))
    }

    @Test func aPageMovedPastTheBoundStaysCountedUntilTruncated() {
        var tracked = cache()
        tracked.created(5)
        tracked.moved(from: 5, to: 9)
        #expect(tracked.mayHold(atOrAbove: 9))
        tracked.truncated(below: 9)
        #expect(!tracked.mayHold(atOrAbove: 6))
        // Created again higher up, the number is under the bound and needs no entry of its own.
        tracked.created(12)
        tracked.moved(from: 12, to: 11)
        tracked.truncated(below: 13)
        #expect(tracked.mayHold(atOrAbove: 12))
        #expect(!tracked.mayHold(atOrAbove: 13))
    }

    @Test func theLibraryRunsWithTheWrappedCache() throws {
        _ = try Connection(path: ":memory:")
        #expect(Connection.libraryIsConfigured)
    }

    /// Rows inserted at random places split pages (moving them through temporary numbers); a
    /// rolled-back transaction that grew the file leaves pages past the end, which must go.
    @Test func aDatabaseStaysIntactThroughSplitsRollbacksAndEvictions() throws {
        let path = temporaryDatabasePath()
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: path))
        var random = SystemRandomNumberGenerator()
        var kept: Set<Int64> = []
        try pool.write { db in
            try db.execute("PRAGMA cache_size=64")
            try db.execute("CREATE TABLE t (k INTEGER NOT NULL, v TEXT NOT NULL)")
            try db.execute("CREATE INDEX t_k ON t(k, v)")
        }
        for round in 0..<6 {
            var added: [Int64] = []
            for _ in 0..<800 { added.append(Int64.random(in: 0..<1_000_000_000, using: &random)) }
            let rolledBack = round % 2 == 1
            do {
                try pool.write { db in
                    for key in added { try db.run("INSERT INTO t VALUES (?, ?)", [key, String(repeating: "x", count: 120) + String(key)]) }
                    if rolledBack { throw SQLiteError(code: SQLITE_ABORT, message: "taken back") }
                }
            } catch let error as SQLiteError where error.extendedCode == SQLITE_ABORT {}
            if !rolledBack { kept.formUnion(added) }
        }
        let (count, distinct, check) = try pool.read { db in
            (try db.queryFirst("SELECT count(*) FROM t") { $0.int(0) },
             try db.query("SELECT k FROM t INDEXED BY t_k ORDER BY k") { $0.int(0) },
             try db.queryFirst("PRAGMA integrity_check") { $0.string(0) })
        }
        #expect(check == "ok")
        #expect(Set(distinct) == kept)
        #expect(count == Int64(distinct.count))
    }
}
