import Dispatch
import Foundation
import ParleySQLite
import Testing

/// The writer's WAL gathers a commit's frames and writes them before the commit is published:
/// other connections see every commit at once, whatever its size, and nothing is left unwritten.
@Suite struct WALAppendBufferingTests {
    @Test func theWritersWALGathersAndNothingIsLeftAfterACommit() throws {
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: temporaryDatabasePath()))
        try pool.write { try $0.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB NOT NULL) STRICT") }
        try pool.write { _ = try $0.run("INSERT INTO t VALUES (1, zeroblob(100))") }
        #expect(pool.writerWALGatheredNothing == true)
    }

    @Test func everyCommitIsSeenWholeByReadersAndOtherProcessesConnections() throws {
        let path = temporaryDatabasePath()
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: path))
        try pool.write { try $0.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB NOT NULL) STRICT") }
        // From one small row to 3 MiB in one commit: past the buffer, and past the 64 KiB writes.
        for (round, rows) in [1, 3, 40, 800].enumerated() {
            try pool.write { db in
                for row in 0..<rows {
                    _ = try db.run("INSERT INTO t VALUES (?, randomblob(4000))", [Int64(round * 1_000 + row)])
                }
            }
            #expect(try pool.read { try $0.queryFirst("SELECT count(*) FROM t") { $0.int(0) } } == Int64([1, 4, 44, 844][round]))
            // A connection of its own reads the WAL from the file, as another process would.
            let other = try DatabasePool(configuration: DatabaseConfiguration(path: path))
            #expect(try other.read { try $0.queryFirst("SELECT count(*), sum(length(v)) FROM t") { [$0.int(0), $0.int(1)] } }
                    == [Int64([1, 4, 44, 844][round]), Int64([1, 4, 44, 844][round]) * 4_000])
            #expect(pool.writerWALGatheredNothing == true)
        }
        #expect(try pool.read { try $0.queryFirst("PRAGMA integrity_check") { $0.string(0) } } == "ok")
    }

    @Test func concurrentWritesCommitAndTheDatabaseStaysWhole() throws {
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: temporaryDatabasePath()))
        try pool.write { try $0.execute("CREATE TABLE t (k INTEGER PRIMARY KEY AUTOINCREMENT, v BLOB NOT NULL) STRICT; CREATE INDEX t_v ON t(v)") }
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<100 {
                do { _ = try pool.write { try $0.run("INSERT INTO t (v) VALUES (randomblob(300))") } } catch {
                    Issue.record("write failed: \(error)")
                }
            }
        }
        try pool.checkpoint()
        #expect(try pool.read { try $0.queryFirst("SELECT count(*) FROM t") { $0.int(0) } } == 800)
        #expect(try pool.read { try $0.queryFirst("PRAGMA integrity_check") { $0.string(0) } } == "ok")
    }

    /// A transaction larger than the writer's cache spills frames before its commit and then
    /// rewrites some in place, which makes SQLite write new checksums into earlier frames' headers
    /// after the commit's last frame. A copy of the files taken right after the commit (as a crash
    /// would leave them) must recover every row: a header left gathered would break the checksum
    /// chain and lose the commit.
    @Test func aCommitThatRewroteFramesInPlaceSurvivesACrashRightAfterIt() throws {
        let path = temporaryDatabasePath()
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: path))
        try pool.write { db in
            try db.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB NOT NULL) STRICT; CREATE INDEX t_v ON t(v)")
        }
        try pool.withWriter { try $0.execute("PRAGMA cache_size=20") }
        try pool.write { db in
            for row in 0..<600 { _ = try db.run("INSERT INTO t VALUES (?, randomblob(900))", [Int64(row)]) }
            _ = try db.run("UPDATE t SET v = randomblob(900) WHERE k % 3 = 0")
            _ = try db.run("UPDATE t SET v = randomblob(900) WHERE k % 5 = 0")
        }
        #expect(pool.writerWALGatheredNothing == true)
        let copy = temporaryDatabasePath()
        for suffix in ["", "-wal"] {
            try FileManager.default.copyItem(atPath: path + suffix, toPath: copy + suffix)
        }
        let recovered = try DatabasePool(configuration: DatabaseConfiguration(path: copy))
        #expect(try recovered.read { try $0.queryFirst("SELECT count(*) FROM t") { $0.int(0) } } == 600)
        #expect(try recovered.read { try $0.queryFirst("PRAGMA integrity_check") { $0.string(0) } } == "ok")
    }
}
