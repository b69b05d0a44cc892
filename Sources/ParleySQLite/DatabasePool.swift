import CSQLite
import Dispatch
import Synchronization

/// Settings for opening a database.
public struct DatabaseConfiguration: Sendable, Equatable {
    public var path: String
    /// Reader connections; WAL lets them read while the writer writes.
    public var readerCount = 4
    /// `NORMAL` (default) can lose the last transactions on power loss but never corrupts in WAL mode;
    /// `FULL` syncs every commit. See Docs/storage.md.
    public var synchronousFull = false

    public init(path: String) { self.path = path }
}

/// One writer connection behind a lock plus a pool of readers, over one SQLite file in WAL mode.
///
/// Writes are serialised (SQLite allows one writer anyway) and each runs in `BEGIN IMMEDIATE`, so
/// it never meets `SQLITE_BUSY` half-way; reads use their own connections and never wait on writes.
/// WAL checkpoints run in the background (`Checkpointer`), never inside a writer's commit.
public final class DatabasePool: Sendable {
    private let writer: Guarded
    private let checkpointer: Checkpointer
    private let readers: Mutex<[Int]>
    private let readerConnections: [Guarded]
    private let available: DispatchSemaphore
    /// How many reads had to wait for a free reader connection (exported as a metric).
    public let readerWaits = Atomic<Int>(0)
    public let path: String

    /// A connection with the lock that confines it.
    final class Guarded: @unchecked Sendable {
        // @unchecked: `connection` is only touched inside `lock.withLock`.
        let lock = Lock()
        let connection: Connection
        init(_ connection: Connection) { self.connection = connection }
    }

    public init(configuration: DatabaseConfiguration) throws {
        path = configuration.path
        let writerConnection = try Connection(path: configuration.path)
        try writerConnection.execute("PRAGMA journal_mode=WAL")
        try writerConnection.execute(configuration.synchronousFull ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL")
        try writerConnection.execute("PRAGMA foreign_keys=ON")
        try writerConnection.execute("PRAGMA temp_store=MEMORY")
        // A 32 MiB page cache lets a bulk transaction finish without spilling dirty pages early.
        try writerConnection.execute("PRAGMA cache_size=-32768")
        checkpointer = try Checkpointer(path: configuration.path)
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
    }

    /// Runs `body` in an immediate transaction on the writer: commits on return, rolls back on throw.
    public func write<T>(_ body: (Connection) throws -> T) throws -> T {
        try writer.lock.withLock {
            try writer.connection.transaction(.immediate) { try body(writer.connection) }
        }
    }

    /// Like `write`, with foreign-key enforcement off for this one transaction. Only for bulk loads
    /// that insert the parent rows themselves, in the same transaction, before their children: there
    /// the checks cannot fail and cost a lookup per row. (The pragma has no effect inside a
    /// transaction, so it is switched around it.)
    public func writeBulk<T>(_ body: (Connection) throws -> T) throws -> T {
        try writer.lock.withLock {
            let db = writer.connection
            try db.execute("PRAGMA foreign_keys=OFF")
            defer { try? db.execute("PRAGMA foreign_keys=ON") }
            return try db.transaction(.immediate) { try body(db) }
        }
    }

    /// Runs `body` on the writer outside any transaction (migrations manage their own, checkpoints need none).
    public func withWriter<T>(_ body: (Connection) throws -> T) throws -> T {
        try writer.lock.withLock { try body(writer.connection) }
    }

    /// Runs `body` in a read transaction on a free reader, so it sees one consistent snapshot.
    public func read<T>(_ body: (Connection) throws -> T) throws -> T {
        if available.wait(timeout: .now()) == .timedOut {
            readerWaits.wrappingAdd(1, ordering: .relaxed)
            available.wait()
        }
        let index = readers.withLock { $0.removeLast() }
        defer {
            readers.withLock { $0.append(index) }
            available.signal()
        }
        let guarded = readerConnections[index]
        return try guarded.lock.withLock {
            try guarded.connection.transaction(.deferred) { try body(guarded.connection) }
        }
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
        let target = try Connection(path: destination)
        try withWriter { source in
            guard let backup = sqlite3_backup_init(target.handle, "main", source.handle, "main") else {
                throw SQLiteError(code: sqlite3_extended_errcode(target.handle), message: String(cString: sqlite3_errmsg(target.handle)))
            }
            let status = sqlite3_backup_step(backup, -1)
            sqlite3_backup_finish(backup)
            guard status == SQLITE_DONE else { throw SQLiteError(code: status, message: "backup did not complete") }
        }
    }

    /// Folds the WAL back into the database file (on shutdown).
    public func checkpoint() throws {
        try withWriter { try $0.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
    }
}
