import CSQLite
import Dispatch
import Glibc
import Synchronization

/// Settings for opening a database.
public struct DatabaseConfiguration: Sendable {
    public var path: String
    /// Reader connections; WAL lets them read while the writer writes.
    public var readerCount = 4
    /// `NORMAL` (default) can lose the last transactions on power loss but never corrupts in WAL mode;
    /// `FULL` syncs every commit. See Docs/storage.md.
    public var synchronousFull = false
    /// A PASSIVE checkpoint runs once commits have added this many frames to the WAL since the
    /// last one; the writer catches up itself at eight times as many in the WAL (Checkpointer).
    public var checkpointThresholdFrames: Int32 = 2_048
    /// Seconds without a commit after which the WAL is truncated to zero bytes; 0 turns it off.
    public var idleCheckpointSeconds: Double = 5
    /// The most the database file may grow to, in bytes (SQLite's `max_page_count`); past it a
    /// write fails with `SQLITE_FULL`, as on a full disk. Nil: no cap.
    public var maxBytes: Int64?
    /// Told, on the waiting thread, before and after a write waits for its turn or a read for a
    /// free reader (the server's handler pool then runs another request meanwhile).
    public var waits = WaitObserver()
    /// Nice levels the writer thread tries to raise itself above the process (see `GroupCommit`); 0: none.
    public var writerPriorityBoost: Int32 = 5
    /// Told about every checkpoint (for logs); runs on the checkpointer's thread.
    public var onCheckpoint: @Sendable (CheckpointResult) -> Void = { _ in }

    public init(path: String) { self.path = path }
}

/// One writer connection behind a lock plus a pool of readers, over one SQLite file in WAL mode.
///
/// Writes are serialised (SQLite allows one writer anyway): they run on the pool's writer thread
/// (`GroupCommit`), each in `BEGIN IMMEDIATE`, so none meets `SQLITE_BUSY` half-way; reads use
/// their own connections and never wait on writes.
/// A write (or read) started by the thread that already holds the writer joins the open
/// transaction, the write inside a savepoint: that is how a request's mutation and the record of its
/// answer commit together (see idempotency). WAL checkpoints run in the background (`Checkpointer`).
public final class DatabasePool: Sendable {
    private let writer: Guarded
    /// The thread that holds the writer lock, 0 when none: lets that thread's nested calls join.
    private let writerOwner = Atomic<UInt>(0)
    private let checkpointer: Checkpointer
    private let readers: Mutex<[Int]>
    private let readerConnections: [Guarded]
    private let available: DispatchSemaphore
    /// How many reads had to wait for a free reader connection (exported as a metric).
    public let readerWaits = Atomic<Int>(0)
    /// When a connection last finished its work without an error (monotonic milliseconds), so a
    /// health check can tell a busy database from a stuck one without waiting for a reader.
    private let lastServed = Atomic<Int64>(0)
    public let path: String
    private let configuration: DatabaseConfiguration
    private let groupCommit = GroupCommit()

    /// A connection with the lock that confines it.
    final class Guarded: @unchecked Sendable {
        // @unchecked: `connection` is only touched inside `lock.withLock`.
        let lock = Lock()
        var connection: Connection
        /// Set when the connection was left in a state it must not be used in; the next user reopens it.
        var unusable = false
        init(_ connection: Connection) { self.connection = connection }
    }

    public init(configuration: DatabaseConfiguration) throws {
        path = configuration.path
        self.configuration = configuration
        let writerConnection = try Self.openWriter(configuration)
        checkpointer = try Checkpointer(path: configuration.path, thresholdFrames: configuration.checkpointThresholdFrames,
                                        idleInterval: configuration.idleCheckpointSeconds, report: configuration.onCheckpoint)
        checkpointer.install(on: writerConnection)
        writer = Guarded(writerConnection)
        var pool: [Guarded] = []
        for _ in 0..<max(1, configuration.readerCount) {
            let reader = try Connection(path: configuration.path)
            try reader.execute("PRAGMA query_only=ON")
            try reader.execute("PRAGMA foreign_keys=ON")
            pool.append(Guarded(reader))
        }
        readerConnections = pool
        readers = Mutex(Array(pool.indices))
        available = DispatchSemaphore(value: pool.count)
        groupCommit.pool = self
        try groupCommit.start(priorityBoost: configuration.writerPriorityBoost)
    }

    deinit {
        groupCommit.stop()
    }

    private static func openWriter(_ configuration: DatabaseConfiguration) throws -> Connection {
        let connection = try Connection(path: configuration.path)
        try connection.execute("PRAGMA journal_mode=WAL")
        try connection.execute(configuration.synchronousFull ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL")
        try connection.execute("PRAGMA foreign_keys=ON")
        try connection.execute("PRAGMA temp_store=MEMORY")
        // A 32 MiB page cache lets a bulk transaction finish without spilling dirty pages early.
        try connection.execute("PRAGMA cache_size=-32768")
        // What SQLite leaves of the WAL file each time it restarts it from the beginning.
        try connection.execute("PRAGMA journal_size_limit=67108864")
        if let maxBytes = configuration.maxBytes {
            let pageSize = try connection.queryFirst("PRAGMA page_size") { $0.int(0) } ?? 4_096
            let pages = max(1, maxBytes / max(1, pageSize))
            let applied = try connection.queryFirst(.pragma("max_page_count", pages)) { $0.int(0) }
            // SQLite never sets the cap below the current size; it answers the cap in force.
            guard let applied, applied > 0 else { throw SQLiteError(code: SQLITE_ERROR, message: "max_page_count was not applied") }
        }
        return connection
    }

    private var currentThread: UInt { UInt(pthread_self()) }

    /// Takes the writer for `body`, reopening it first if an earlier use left it unusable.
    private func holdingWriter<T>(_ body: (Connection) throws -> T) throws -> T {
        try writer.lock.withLock { try whileHoldingWriter(body) }
    }

    /// Runs `body` on the writer; the caller holds `writer.lock`.
    func whileHoldingWriter<T>(_ body: (Connection) throws -> T) throws -> T {
        if writer.unusable {
            let fresh = try Self.openWriter(configuration)
            checkpointer.install(on: fresh)
            fresh.beforeCommit = writer.connection.beforeCommit
            writer.connection = fresh
            writer.unusable = false
        }
        writerOwner.store(currentThread, ordering: .releasing)
        defer { writerOwner.store(0, ordering: .releasing) }
        let result = try body(writer.connection)
        noteServed()
        return result
    }

    private static func monotonicMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000 + Int64(now.tv_nsec) / 1_000_000
    }

    private func noteServed() { lastServed.store(Self.monotonicMilliseconds(), ordering: .relaxed) }

    /// Whether some connection finished its work without an error in the last `milliseconds`.
    public func servedWithin(milliseconds: Int64) -> Bool {
        let last = lastServed.load(ordering: .relaxed)
        return last > 0 && Self.monotonicMilliseconds() - last <= milliseconds
    }

    /// Installs `step`, which every write transaction runs just before it commits, in that
    /// transaction (the schema folds staged rollup rows this way). A failing step fails the commit.
    public func beforeEveryCommit(_ step: @escaping @Sendable (Connection) throws -> Void) {
        precondition(!callerHoldsWriter, "the before-commit step is installed outside any write")
        writer.lock.withLock { writer.connection.beforeCommit = step }
    }

    /// Whether the writer thread runs above the process's priority. When it cannot, the threads
    /// that serve requests should run below it instead (`HTTPServerConfiguration.requestThreadNiceness`).
    public var writerRunsAboveProcess: Bool { groupCommit.raisedPriority }

    /// Told around waits (see `DatabaseConfiguration.waits`), for `GroupCommit`.
    var waits: WaitObserver { configuration.waits }

    /// The writer's lock, for `GroupCommit`.
    var writerLock: Lock { writer.lock }

    /// Whether the calling thread holds the writer (a nested call).
    private var callerHoldsWriter: Bool { writerOwner.load(ordering: .acquiring) == currentThread }

    /// Runs `body` in an immediate transaction on the writer: commits on return, rolls back on throw.
    /// Called while the same thread already writes, it runs in a savepoint of that transaction.
    public func write<T>(_ body: (Connection) throws -> T) throws -> T {
        if callerHoldsWriter {
            let db = writer.connection
            return try db.isInTransaction ? db.savepoint { try body(db) } : db.transaction(.immediate) { try body(db) }
        }
        return try groupCommit.write(body)
    }

    /// Like `write`, with foreign-key enforcement off for this one transaction, which runs on the
    /// writer thread on its own (outside any batch). Only for bulk loads that insert the parent
    /// rows themselves, in the same transaction, before their children: there the checks cannot
    /// fail and cost a lookup per row. (The pragma has no effect inside a transaction, so it is
    /// switched around it; a nested call keeps the checks on.)
    public func writeBulk<T>(_ body: (Connection) throws -> T) throws -> T {
        if callerHoldsWriter { return try write(body) }
        return try groupCommit.writeAlone { db in
            try db.execute("PRAGMA foreign_keys=OFF")
            defer {
                // A writer that cannot turn the checks back on must not serve another write.
                if (try? db.execute("PRAGMA foreign_keys=ON")) == nil { writer.unusable = true }
            }
            return try db.transaction(.immediate) { try body(db) }
        }
    }

    /// Runs `body` on the writer outside any transaction (migrations manage their own, checkpoints need none).
    public func withWriter<T>(_ body: (Connection) throws -> T) throws -> T {
        if callerHoldsWriter { return try body(writer.connection) }
        return try holdingWriter(body)
    }

    /// Runs `body` in a read transaction on a free reader, so it sees one consistent snapshot.
    public func read<T>(_ body: (Connection) throws -> T) throws -> T {
        // Inside a write on this thread, read what it has written so far.
        if callerHoldsWriter { return try body(writer.connection) }
        waitForReader()
        return try readOnTakenReader(body)
    }

    /// Like `read`, for a body that runs a single statement: one statement reads one consistent
    /// snapshot by itself, so the reader skips the `BEGIN` and `COMMIT` around it (two of the three
    /// statements of a point read such as a case by id).
    public func readOneStatement<T>(_ body: (Connection) throws -> T) throws -> T {
        if callerHoldsWriter { return try body(writer.connection) }
        waitForReader()
        return try readOnTakenReader(inTransaction: false, body)
    }

    /// Takes a reader from `available`, waiting (and counting the wait) when none is free.
    private func waitForReader() {
        guard available.wait(timeout: .now()) == .timedOut else { return }
        readerWaits.wrappingAdd(1, ordering: .relaxed)
        configuration.waits.willWait()
        available.wait()
        configuration.waits.didWait()
    }

    /// Like `read`, but nil at once when every reader is busy: for callers that must never wait,
    /// such as the health check an event loop answers.
    public func readIfReaderFree<T>(_ body: (Connection) throws -> T) throws -> T? {
        if callerHoldsWriter { return try body(writer.connection) }
        guard available.wait(timeout: .now()) == .success else { return nil }
        return try readOnTakenReader(body)
    }

    /// Runs `body` on a free reader, in a read transaction unless told otherwise; the caller has
    /// taken one from `available`.
    private func readOnTakenReader<T>(inTransaction: Bool = true, _ body: (Connection) throws -> T) throws -> T {
        let index = readers.withLock { $0.removeLast() }
        defer {
            readers.withLock { $0.append(index) }
            available.signal()
        }
        let guarded = readerConnections[index]
        let result = try guarded.lock.withLock {
            let connection = guarded.connection
            return try inTransaction ? connection.transaction(.deferred) { try body(connection) } : body(connection)
        }
        noteServed()
        return result
    }

    /// Runs `body` in a read transaction on a connection of its own, opened for this call: for long
    /// reads such as a streamed export, which must not hold one of the pooled readers that every
    /// request (health checks included) needs.
    public func readOnDedicatedConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        let connection = try Connection(path: path)
        try connection.execute("PRAGMA query_only=ON")
        return try connection.transaction(.deferred) { try body(connection) }
    }

    /// Copies the whole database to `destination` with SQLite's online backup API; safe while serving.
    public func backup(to destination: String) throws {
        try withWriter { source in try Self.copy(source, to: destination) }
    }

    /// Copies the database at `source` to `destination` without a pool: the source is opened read
    /// only, so a backup neither migrates nor creates it (a path that names nothing fails). One
    /// read transaction covers the copy: a consistent snapshot while a server writes.
    public static func backup(from source: String, to destination: String) throws {
        let reader = try Connection(path: source, readOnly: true)
        try reader.transaction(.deferred) { try copy(reader, to: destination) }
    }

    private static func copy(_ source: Connection, to destination: String) throws {
        let target = try Connection(path: destination)
        guard let backup = sqlite3_backup_init(target.handle, "main", source.handle, "main") else {
            throw SQLiteError(code: sqlite3_extended_errcode(target.handle), message: String(cString: sqlite3_errmsg(target.handle)))
        }
        let status = sqlite3_backup_step(backup, -1)
        let finished = sqlite3_backup_finish(backup)
        guard status == SQLITE_DONE else { throw SQLiteError(code: status, message: "backup did not complete") }
        guard finished == SQLITE_OK else { throw SQLiteError(code: finished, message: "backup did not finish") }
    }

    /// Folds the WAL back into the database file and truncates it (on shutdown).
    public func checkpoint() throws {
        checkpointer.stop()
        try withWriter { db in
            let complete = try db.queryFirst("PRAGMA wal_checkpoint(TRUNCATE)") { $0.int(0) == 0 && $0.int(1) == $0.int(2) }
            guard complete == true else {
                throw SQLiteError(code: SQLITE_BUSY, message: "the final checkpoint could not copy every WAL frame")
            }
        }
    }

    /// Runs a background checkpoint now and waits for its result.
    public func checkpointNow(truncate: Bool = false) -> CheckpointResult { checkpointer.checkpointNow(truncate: truncate) }

    /// The checkpointer's counters, for `/metrics`.
    public var checkpointStatistics: CheckpointStatistics { checkpointer.snapshot }

    /// Waits for a scheduled background checkpoint to finish (tests).
    func drainCheckpoints() { checkpointer.drain() }

    /// The WAL file's current size in bytes.
    public var walBytes: Int64 { checkpointer.walBytes }
}
