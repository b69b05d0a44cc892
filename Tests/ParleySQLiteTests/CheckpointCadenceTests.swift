import CSQLite
import Glibc
import ParleyTestSupport
@testable import ParleySQLite
import Testing

/// A pool whose background checkpoints come every `frames` frames added, with no idle checkpoint.
func checkpointingPool(path: String, everyFrames frames: Int32) throws -> DatabasePool {
    var configuration = DatabaseConfiguration(path: path)
    configuration.idleCheckpointSeconds = 0
    configuration.checkpointThresholdFrames = frames
    return try DatabasePool(configuration: configuration)
}

@Suite struct CheckpointCadenceTests {
    /// With a reader holding an old snapshot the WAL cannot restart, so its length only grows, as
    /// it does under a steady stream of commits: background checkpoints follow the frames added
    /// since the last one, not the WAL's length (which would start one after every commit).
    @Test func backgroundCheckpointsFollowTheFramesAddedNotTheWALsLength() throws {
        let path = temporaryDatabasePath()
        let pool = try checkpointingPool(path: path, everyFrames: 40)
        try pool.write { try $0.execute("CREATE TABLE t (v BLOB NOT NULL) STRICT") }
        let pin = try Connection(path: path)
        try pin.execute("BEGIN")
        #expect(try pin.queryFirst("SELECT count(*) FROM t") { $0.int(0) } == 0)
        let row = [UInt8](repeating: 1, count: 3_000)
        let commits = 60
        for _ in 0..<commits {
            // Three or four pages a commit: about a dozen commits for each background checkpoint.
            try pool.write { db in for _ in 0..<3 { try db.run("INSERT INTO t (v) VALUES (?)", [row]) } }
            pool.drainCheckpoints()
        }
        let stats = pool.checkpointStatistics
        let checkpoints = stats.completed + stats.partial
        // The writer's own checkpoint past eight times the threshold comes at most every 250 ms.
        #expect(checkpoints >= 3 && checkpoints <= 10, "\(checkpoints) checkpoints for \(commits) commits")
        #expect(stats.failed == 0)
        try pin.execute("COMMIT")
        #expect(try pool.read { try $0.queryFirst("SELECT count(*) FROM t") { $0.int(0) } } == Int64(commits * 3))
    }

    @Test func walWritebackStartsOnceTheWALExistsAndFollowsANewOne() throws {
        let path = temporaryDatabasePath()
        let writeback = Writeback(path: path + "-wal")
        #expect(!writeback.start())
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: path))
        try pool.write { try $0.execute("CREATE TABLE t (v INTEGER) STRICT") }
        #expect(writeback.start())
        #expect(writeback.start())
    }

    /// A file removed (as SQLite removes the WAL when its last connection closes) is let go of,
    /// and the one made anew under the same name is followed.
    @Test func writebackFollowsAFileMadeAnew() throws {
        let path = temporaryDatabasePath() + "-file"
        let writeback = Writeback(path: path)
        #expect(writeFile(path, "first"))
        #expect(writeback.start())
        #expect(unlink(path) == 0)
        #expect(!writeback.start())
        #expect(writeFile(path, "second"))
        #expect(writeback.start())
    }
}
