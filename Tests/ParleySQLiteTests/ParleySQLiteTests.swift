import Dispatch
import Foundation
import Glibc
import Synchronization
import ParleySQLite
import ParleyTestSupport
import Testing

func temporaryDatabasePath() -> String {
    var template = Array("/tmp/parley-sqlite-XXXXXX".utf8CString)
    let directory = String(cString: mkdtemp(&template)!)
    return directory + "/test.db"
}

@Suite struct ConnectionTests {
    @Test func bindsAndReadsEveryType() throws {
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: temporaryDatabasePath()))
        try pool.write { db in
            try db.execute("CREATE TABLE t (i INTEGER, s TEXT, b BLOB, f INTEGER, n TEXT) STRICT")
            try db.run("INSERT INTO t VALUES (?, ?, ?, ?, ?)",
                       [Int64.max, "王芳 \u{0}nul", [UInt8]([0, 1, 255]), true, Optional<String>.none])
        }
        let row = try pool.read { db in
            try db.queryFirst("SELECT i, s, b, f, n FROM t") { ($0.int(0), $0.string(1), $0.blob(2), $0.bool(3), $0.stringOrNil(4)) }
        }
        let (i, s, b, f, n) = try #require(row)
        #expect(i == Int64.max)
        #expect(s == "王芳 \u{0}nul")
        #expect(b == [0, 1, 255])
        #expect(f == true)
        #expect(n == nil)
    }

    /// Text and blob values are bound from one buffer without copies: empty values stay empty
    /// (not NULL), small and large strings keep their bytes, and a value selected straight back
    /// reads as bound.
    @Test func boundValuesKeepTheirBytesEmptyOrLarge() throws {
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: temporaryDatabasePath()))
        let large = String(repeating: "ä", count: 10_000)
        try pool.write { db in
            try db.execute("CREATE TABLE t (k INTEGER, s TEXT, b BLOB) STRICT")
            try db.run("INSERT INTO t VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?)") { binder in
                binder.bind(1); binder.bind(""); binder.bind(SQLValue.blob([]))
                binder.bind(2); binder.bind("short"); binder.bind(SQLValue.blob([7]))
                binder.bind(3); binder.bind(large); binder.bind(nil as String?)
            }
        }
        let rows = try pool.read { db in
            try db.query("SELECT s, b IS NULL, length(b), s IS NULL FROM t ORDER BY k") { ($0.string(0), $0.bool(1), $0.int(2), $0.bool(3)) }
        }
        #expect(rows.map(\.0) == ["", "short", large])
        #expect(rows.map(\.1) == [false, false, true])
        #expect(rows.map(\.3) == [false, false, false])
        let echoed = try pool.read { db in try db.queryFirst("SELECT ?, ?", ["", large]) { ($0.string(0), $0.string(1)) } }
        #expect(echoed?.0 == "" && echoed?.1 == large)
        // A count that does not match the statement is refused before anything runs.
        #expect(throws: SQLiteError.self) { try pool.write { db in try db.run("INSERT INTO t VALUES (?, ?, ?)", [1, "x"]) } }
    }

    /// A one-statement read needs no transaction of its own: it sees what is committed, leaves
    /// the reader free of any open transaction, and inside a write sees the write's own rows.
    @Test func aOneStatementReadSeesCommittedRowsAndTheWritersOwn() throws {
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: temporaryDatabasePath()))
        try pool.write { db in
            try db.execute("CREATE TABLE t (v INTEGER) STRICT")
            try db.run("INSERT INTO t VALUES (1), (2)")
        }
        #expect(try pool.readOneStatement { db in try db.query("SELECT v FROM t ORDER BY v") { $0.int(0) } } == [1, 2])
        #expect(try pool.read { db in db.isInTransaction } == true)
        #expect(try pool.readOneStatement { db in db.isInTransaction } == false)
        let inside = try pool.write { db in
            try db.run("INSERT INTO t VALUES (3)")
            return try pool.readOneStatement { db in try db.queryFirst("SELECT count(*) FROM t") { $0.int(0) } }
        }
        #expect(inside == 3)
        #expect(try pool.readOneStatement { db in try db.queryFirst("SELECT count(*) FROM t") { $0.int(0) } } == 3)
    }

    @Test func transactionRollsBackWhenTheBodyThrows() throws {
        struct Boom: Error {}
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: temporaryDatabasePath()))
        try pool.write { try $0.execute("CREATE TABLE t (v INTEGER) STRICT") }
        #expect(throws: Boom.self) {
            try pool.write { db in
                try db.run("INSERT INTO t VALUES (1)")
                throw Boom()
            }
        }
        #expect(try pool.read { try $0.queryFirst("SELECT count(*) FROM t") { $0.int(0) } } == 0)
    }

    @Test func constraintViolationsAreTypedAndCarryNoArguments() throws {
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: temporaryDatabasePath()))
        try pool.write { try $0.execute("CREATE TABLE t (v TEXT UNIQUE, n INTEGER CONSTRAINT n_positive CHECK (n > 0)) STRICT") }
        _ = try pool.write { try $0.run("INSERT INTO t VALUES (?, 1)", ["secret-phone"]) }
        do {
            _ = try pool.write { try $0.run("INSERT INTO t VALUES (?, 1)", ["secret-phone"]) }
            Issue.record("no error")
        } catch let error as SQLiteError {
            #expect(error.isUniqueViolation)
            #expect(!error.description.contains("secret-phone"))
        }
        do {
            _ = try pool.write { try $0.run("INSERT INTO t VALUES (?, ?)", ["other", -1]) }
            Issue.record("no error")
        } catch let error as SQLiteError {
            #expect(error.isCheckViolation)
            #expect(error.message.contains("n_positive"))
        }
    }

    @Test func readersDoNotSeeUncommittedWritesAndNeverFail() throws {
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: temporaryDatabasePath()))
        try pool.write { try $0.execute("CREATE TABLE t (v INTEGER) STRICT") }
        try pool.write { db in
            try db.run("INSERT INTO t VALUES (1)")
            // A read from another thread during the write sees the old snapshot.
            let seen = Mutex<Int64?>(nil)
            let reader = Thread { seen.withLock { $0 = try? pool.read { try $0.queryFirst("SELECT count(*) FROM t") { $0.int(0) } } } }
            reader.start()
            #expect(waitUntil { reader.isFinished }, "the reader is blocked by the open write")
            #expect(seen.withLock { $0 } == 0)
        }
        #expect(try pool.read { try $0.queryFirst("SELECT count(*) FROM t") { $0.int(0) } } == 1)
    }

    @Test func concurrentWritersFromTwoPoolsWaitInsteadOfFailing() throws {
        let path = temporaryDatabasePath()
        let first = try DatabasePool(configuration: DatabaseConfiguration(path: path))
        try first.write { try $0.execute("CREATE TABLE t (v INTEGER) STRICT") }
        let second = try DatabasePool(configuration: DatabaseConfiguration(path: path))
        let pools = [first, second]
        DispatchQueue.concurrentPerform(iterations: 16) { index in
            for value in 0..<25 {
                do { _ = try pools[index % 2].write { try $0.run("INSERT INTO t VALUES (?)", [value]) } } catch {
                    Issue.record("write failed: \(error)")
                }
            }
        }
        #expect(try first.read { try $0.queryFirst("SELECT count(*) FROM t") { $0.int(0) } } == 400)
    }

    @Test func backupCopiesTheDatabase() throws {
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: temporaryDatabasePath()))
        try pool.write { db in
            try db.execute("CREATE TABLE t (v INTEGER) STRICT")
            try db.run("INSERT INTO t VALUES (42)")
        }
        let copyPath = temporaryDatabasePath()
        try pool.backup(to: copyPath)
        let copy = try DatabasePool(configuration: DatabaseConfiguration(path: copyPath))
        #expect(try copy.read { try $0.queryFirst("SELECT v FROM t") { $0.int(0) } } == 42)
        // Without a pool, from the path: the source is read as it is, while its pool writes on.
        let second = temporaryDatabasePath()
        _ = try pool.write { try $0.run("INSERT INTO t VALUES (43)") }
        try DatabasePool.backup(from: pool.path, to: second)
        let secondCopy = try DatabasePool(configuration: DatabaseConfiguration(path: second))
        #expect(try secondCopy.read { try $0.query("SELECT v FROM t ORDER BY v") { $0.int(0) } } == [42, 43])
    }

    @Test func aBackupOfAPathThatNamesNothingFailsAndCreatesNothing() throws {
        let missing = temporaryDatabasePath()
        #expect(throws: SQLiteError.self) { try DatabasePool.backup(from: missing, to: temporaryDatabasePath()) }
        var info = stat()
        #expect(stat(missing, &info) != 0)
    }
}

@Suite struct MigratorTests {
    @Test func appliesInOrderOnceAndRefusesANewerDatabase() throws {
        let path = temporaryDatabasePath()
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: path))
        var migrator = Migrator()
        migrator.register("0001-a") { try $0.execute("CREATE TABLE a (v INTEGER) STRICT") }
        migrator.register("0002-b") { try $0.execute("CREATE TABLE b (a_v INTEGER) STRICT; INSERT INTO a VALUES (1)") }
        #expect(try migrator.migrate(pool) == ["0001-a", "0002-b"])
        #expect(try migrator.migrate(pool) == [])
        #expect(try pool.read { try $0.queryFirst("SELECT count(*) FROM a") { $0.int(0) } } == 1)

        var older = Migrator()
        older.register("0001-a") { _ in }
        #expect(throws: Migrator.NewerDatabaseError.self) { try older.migrate(pool) }
    }

    @Test func aFailingMigrationLeavesNothingBehind() throws {
        struct Broken: Error {}
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: temporaryDatabasePath()))
        var migrator = Migrator()
        migrator.register("0001-ok") { try $0.execute("CREATE TABLE a (v INTEGER) STRICT") }
        migrator.register("0002-broken") { db in
            try db.execute("CREATE TABLE b (v INTEGER) STRICT")
            throw Broken()
        }
        #expect(throws: Broken.self) { try migrator.migrate(pool) }
        let tables = try pool.read { try $0.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") { $0.string(0) } }
        #expect(tables == ["a", "schema_migration"])
    }
}

@Suite struct BulkWriteTests {
    @Test func bulkWritesSkipForeignKeysForOneTransactionOnly() throws {
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: temporaryDatabasePath()))
        try pool.write { db in
            try db.execute("CREATE TABLE parent (id TEXT PRIMARY KEY) STRICT; CREATE TABLE child (parent_id TEXT REFERENCES parent(id)) STRICT")
        }
        try pool.writeBulk { db in
            try db.run("INSERT INTO parent VALUES ('p')")
            try db.run("INSERT INTO child VALUES ('p')")
        }
        #expect(try pool.withWriter { try $0.queryFirst("PRAGMA foreign_keys") { $0.int(0) } } == 1)
        #expect(throws: SQLiteError.self) { try pool.write { try $0.run("INSERT INTO child VALUES ('nobody')") } }
    }
}

@Suite struct StatementCacheTests {
    @Test func composedStatementsBeyondTheCacheStillRun() throws {
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: temporaryDatabasePath()))
        try pool.write { try $0.execute("CREATE TABLE t (v INTEGER) STRICT") }
        // More distinct composed statements than the cache keeps: each still runs correctly.
        for count in 1...(Connection.composedCacheLimit + 20) {
            try pool.write { db in
                let values = (0..<count).map { $0 as any SQLBindable }
                try db.run("INSERT INTO t (v) VALUES" + SQL.repeated("(?)", count: count), values)
            }
        }
        let expected = (1...(Connection.composedCacheLimit + 20)).reduce(0, +)
        #expect(try pool.read { try $0.queryFirst("SELECT count(*) FROM t") { $0.int(0) } } == Int64(expected))
    }

    /// A kept statement is cached by identity: each runs its own text, however many are made and
    /// dropped (a dropped one's address can never stand for another's text), past the cache's size too.
    @Test func keptStatementsRunTheirOwnTextEvenWhenMadeOnTheFly() throws {
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: temporaryDatabasePath()))
        let kept: SQL = ("SELECT" + "41 + ?").kept
        for round in 0..<(Connection.composedCacheLimit + 50) {
            let onTheFly: SQL = ("SELECT" + "1000 * ?").kept
            let (a, b) = try pool.read { db in
                (try db.queryFirst(kept, [Int64(round)]) { $0.int(0) }, try db.queryFirst(onTheFly, [Int64(round)]) { $0.int(0) })
            }
            #expect(a == 41 + Int64(round) && b == 1000 * Int64(round), "round \(round)")
        }
    }
}

@Suite struct CheckpointTests {
    private func fileSize(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }

    @Test func theWALStaysBoundedUnderSustainedWritesWhileTheMainFileGrows() throws {
        let path = temporaryDatabasePath()
        // 2 MiB: a checkpoint every 5 transactions, and the writer waits for one past 16 MiB.
        let pool = try checkpointingPool(path: path, everyFrames: 512)
        try pool.write { try $0.execute("CREATE TABLE blob_row (data BLOB NOT NULL) STRICT") }
        let chunk = [UInt8](repeating: 7, count: 4_000)
        var largestWAL: Int64 = 0
        // 60 MB in 150 transactions of 100 rows, as a busy server commits them.
        for _ in 0..<150 {
            try pool.write { db in
                for _ in 0..<100 { try db.run("INSERT INTO blob_row (data) VALUES (?)", [chunk]) }
            }
            largestWAL = max(largestWAL, pool.walBytes)
            _ = try pool.read { try $0.queryFirst("SELECT count(*) FROM blob_row") { $0.int(0) } }
        }
        let stats = pool.checkpointStatistics
        #expect(stats.completed + stats.partial > 0)
        #expect(stats.failed == 0)
        #expect(largestWAL < 40_000_000, "WAL reached \(largestWAL) bytes")
        #expect(fileSize(path) > 30_000_000, "main file is \(fileSize(path)) bytes")
    }

    @Test func aQuietDatabaseHasItsWALTruncated() throws {
        let path = temporaryDatabasePath()
        var configuration = DatabaseConfiguration(path: path)
        configuration.idleCheckpointSeconds = 0.1
        let pool = try DatabasePool(configuration: configuration)
        try pool.write { try $0.execute("CREATE TABLE t (v INTEGER) STRICT") }
        for value in 0..<50 { _ = try pool.write { try $0.run("INSERT INTO t VALUES (?)", [Int64(value)]) } }
        #expect(pool.walBytes > 0)
        #expect(waitUntil(pollingEvery: .milliseconds(50)) { pool.walBytes == 0 })
        #expect(try pool.read { try $0.queryFirst("SELECT count(*) FROM t") { $0.int(0) } } == 50)
    }

    @Test func aCheckpointOnAFreshConnectionCopiesEveryFrame() throws {
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: temporaryDatabasePath()))
        try pool.write { try $0.execute("CREATE TABLE t (v INTEGER) STRICT") }
        _ = try pool.write { try $0.run("INSERT INTO t VALUES (1)") }
        let result = pool.checkpointNow()
        #expect(result.isComplete)
        #expect(result.logFrames > 0)
    }

    @Test func aNestedWriteJoinsTheOuterTransactionAndReadsItsOwnChanges() throws {
        struct Boom: Error {}
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: temporaryDatabasePath()))
        try pool.write { try $0.execute("CREATE TABLE t (v INTEGER) STRICT") }
        #expect(throws: Boom.self) {
            try pool.write { _ in
                _ = try pool.write { try $0.run("INSERT INTO t VALUES (1)") }
                #expect(try pool.read { try $0.queryFirst("SELECT count(*) FROM t") { $0.int(0) } } == 1)
                throw Boom()
            }
        }
        #expect(try pool.read { try $0.queryFirst("SELECT count(*) FROM t") { $0.int(0) } } == 0)
        // A nested write that fails undoes only its own changes.
        try pool.write { _ in
            _ = try pool.write { try $0.run("INSERT INTO t VALUES (1)") }
            _ = try? pool.write { db -> Void in
                try db.run("INSERT INTO t VALUES (2)")
                throw Boom()
            }
        }
        #expect(try pool.read { try $0.query("SELECT v FROM t") { $0.int(0) } } == [1])
    }
}

@Suite struct GroupCommitTests {
    struct Refused: Error {}

    @Test func concurrentWritesCommitTogetherAndAFailingOneKeepsNothing() throws {
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: temporaryDatabasePath()))
        try pool.write { try $0.execute("CREATE TABLE t (v INTEGER NOT NULL UNIQUE) STRICT") }
        let outcomes = Mutex<[Int: Bool]>([:])
        DispatchQueue.concurrentPerform(iterations: 200) { index in
            let result = try? pool.write { db -> Int in
                try db.run("INSERT INTO t VALUES (?)", [Int64(index)])
                // Every tenth write fails after writing: only its own row may disappear.
                if index % 10 == 0 { throw Refused() }
                return index
            }
            outcomes.withLock { $0[index] = result == index }
        }
        let stored = Set(try pool.read { try $0.query("SELECT v FROM t") { Int($0.int(0)) } })
        let succeeded = Set(outcomes.withLock { $0 }.filter(\.value).map(\.key))
        #expect(succeeded.count == 180)
        #expect(stored == succeeded)
        // A write sees the writes committed before it, and its nested writes join it.
        let inner = try pool.write { db -> Int64 in
            _ = try pool.write { try $0.run("INSERT INTO t VALUES (1000)") }
            return try db.queryFirst("SELECT count(*) FROM t") { $0.int(0) } ?? -1
        }
        #expect(inner == 181)
    }
}

@Suite struct StagedValueTests {
    struct Refused: Error {}

    /// The before-commit step sees exactly the values staged by the writes that commit: a write of
    /// a group commit that fails takes its staged values with it, as it takes its rows.
    @Test func theCommitStepSeesOnlyTheValuesOfWritesThatCommit() throws {
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: temporaryDatabasePath()))
        try pool.write { try $0.execute("CREATE TABLE t (v INTEGER NOT NULL) STRICT; CREATE TABLE total (sum INTEGER NOT NULL) STRICT") }
        _ = try pool.write { try $0.run("INSERT INTO total VALUES (0)") }
        pool.beforeEveryCommit { db in
            let sum = db.takeStaged(Int64.self).reduce(0, +)
            try db.run("UPDATE total SET sum = sum + ?", [sum])
        }
        DispatchQueue.concurrentPerform(iterations: 200) { index in
            _ = try? pool.write { db in
                try db.run("INSERT INTO t VALUES (?)", [Int64(index)])
                db.stage(Int64(index))
                // A nested write that fails drops its own value, and only it.
                _ = try? pool.write { inner -> Void in
                    inner.stage(Int64(1_000_000))
                    throw Refused()
                }
                if index % 7 == 0 { throw Refused() }
            }
        }
        let rows = try pool.read { try $0.queryFirst("SELECT sum(v) FROM t") { $0.int(0) } }
        let total = try pool.read { try $0.queryFirst("SELECT sum FROM total") { $0.int(0) } }
        #expect(rows == total)
        #expect(rows == Int64((0..<200).filter { $0 % 7 != 0 }.reduce(0, +)))
    }

    /// A savepoint whose result says "undo" drops the values staged in it (the idempotency path).
    @Test func aSavepointUndoneByItsResultDropsItsValues() throws {
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: temporaryDatabasePath()))
        let seen = Mutex<[Int]>([])
        pool.beforeEveryCommit { db in
            let taken = db.takeStaged(Int.self)
            seen.withLock { $0 = taken }
        }
        try pool.write { db in
            db.stage(1)
            let kept = try db.savepoint(.operation, keep: { $0 }) { db.stage(2); return false }
            #expect(!kept)
            _ = try db.savepoint(.operation, keep: { $0 }) { db.stage(3); return true }
        }
        #expect(seen.withLock { $0 } == [1, 3])
    }

    @Test func valuesStagedWithoutACommitStepFailTheCommit() throws {
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: temporaryDatabasePath()))
        try pool.write { try $0.execute("CREATE TABLE t (v INTEGER NOT NULL) STRICT") }
        #expect(throws: SQLiteError.self) {
            try pool.write { db in
                try db.run("INSERT INTO t VALUES (1)")
                db.stage(1)
            }
        }
        #expect(try pool.read { try $0.queryFirst("SELECT count(*) FROM t") { $0.int(0) } } == 0)
        // The next transaction starts with nothing staged.
        _ = try pool.write { try $0.run("INSERT INTO t VALUES (2)") }
        #expect(try pool.read { try $0.queryFirst("SELECT count(*) FROM t") { $0.int(0) } } == 1)
    }

    /// A value the commit step does not take (an audit entry, say, with a step that takes only
    /// rollup rows) fails the commit: nothing of the transaction is stored, nothing vanishes quietly.
    @Test func aValueTheCommitStepLeavesFailsTheCommit() throws {
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: temporaryDatabasePath()))
        try pool.write { try $0.execute("CREATE TABLE t (v INTEGER NOT NULL) STRICT") }
        pool.beforeEveryCommit { db in _ = db.takeStaged(Int.self) }
        try pool.write { db in
            try db.run("INSERT INTO t VALUES (1)")
            db.stage(1)
        }
        #expect(throws: SQLiteError.self) {
            try pool.write { db in
                try db.run("INSERT INTO t VALUES (2)")
                db.stage(2)
                db.stage("left over")
            }
        }
        #expect(try pool.read { try $0.query("SELECT v FROM t") { $0.int(0) } } == [1])
    }
}

@Suite struct LibrarySettingsTests {
    /// Memory statistics are off before the first connection opens (else every allocation of
    /// every connection takes one process-wide mutex).
    @Test func theLibraryIsConfiguredBeforeItsFirstUse() throws {
        _ = try DatabasePool(configuration: DatabaseConfiguration(path: temporaryDatabasePath()))
        #expect(Connection.libraryIsConfigured)
    }
}

@Suite struct WriterThreadTests {
    private static func nice() -> Int32 { getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) }

    /// Writes run on the writer thread, raised above the thread that opened the pool when the
    /// process may raise priorities, else at its priority (the server then lowers its own threads).
    @Test func writesRunOnTheWriterThreadAboveTheProcessWhenAllowed() throws {
        let opener = Self.nice()
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: temporaryDatabasePath()))
        let (writerNice, writerThread) = try pool.write { _ in (Self.nice(), pthread_self()) }
        #expect(pthread_equal(writerThread, pthread_self()) == 0)
        #expect(writerNice == (pool.writerRunsAboveProcess ? max(-20, opener - 5) : opener))
        // Without a boost it keeps the opener's priority.
        var configuration = DatabaseConfiguration(path: temporaryDatabasePath())
        configuration.writerPriorityBoost = 0
        let plain = try DatabasePool(configuration: configuration)
        #expect(!plain.writerRunsAboveProcess)
        #expect(try plain.write { _ in Self.nice() } == opener)
    }

    /// A bulk write runs alone between batches, with foreign keys off only for itself.
    @Test func aBulkWriteRunsAloneBetweenBatches() throws {
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: temporaryDatabasePath()))
        try pool.write { try $0.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (p INTEGER REFERENCES parent(id))") }
        let failures = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 60) { index in
            do {
                if index % 20 == 10 {
                    // A child before its parent: allowed only with the checks off.
                    try pool.writeBulk { db in
                        _ = try db.run("INSERT INTO child VALUES (?)", [Int64(1_000 + index)])
                        _ = try db.run("INSERT INTO parent VALUES (?)", [Int64(1_000 + index)])
                    }
                } else {
                    _ = try pool.write { try $0.run("INSERT INTO parent VALUES (?)", [Int64(index)]) }
                }
            } catch {
                failures.add(1, ordering: .relaxed)
            }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
        #expect(try pool.read { try $0.queryFirst("SELECT count(*) FROM parent") { $0.int(0) } } == 60)
        // The checks are on again for ordinary writes.
        #expect(throws: SQLiteError.self) { _ = try pool.write { try $0.run("INSERT INTO child VALUES (99999)") } }
    }
}

/// The health check's reads: one that never waits for a reader, and the record of work done.
@Suite struct NonWaitingReadTests {
    @Test func aReadThatWillNotWaitIsNilWhileEveryReaderIsTaken() throws {
        var configuration = DatabaseConfiguration(path: temporaryDatabasePath())
        configuration.readerCount = 2
        let pool = try DatabasePool(configuration: configuration)
        #expect(!pool.servedWithin(milliseconds: 60_000))  // nothing done yet
        #expect(try pool.readIfReaderFree { db in try db.queryFirst("SELECT 1") { $0.int(0) } } == .some(1))
        #expect(pool.servedWithin(milliseconds: 60_000))
        // Two threads hold both readers until released.
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        for _ in 0..<2 {
            DispatchQueue.global().async(group: done) {
                _ = try? pool.read { _ in
                    holding.signal()
                    release.wait()
                }
            }
        }
        for _ in 0..<2 { #expect(holding.wait(timeout: .now() + 10) == .success) }
        #expect(try pool.readIfReaderFree { _ in 1 } == nil)
        for _ in 0..<2 { release.signal() }
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(try pool.readIfReaderFree { _ in 1 } == .some(1))
    }
}
