import CSQLite

/// One SQLite connection. Not Sendable: it is confined to whoever holds it (the pool's lock),
/// and is valid only inside the closure that received it.
public final class Connection {
    let handle: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]
    private var literalStatements: [UnsafeRawPointer: OpaquePointer] = [:]
    /// The boxes of the kept statements cached by their address, held so no address is reused.
    private var keptTexts: [AnyObject] = []
    /// Run inside every transaction on this connection just before it commits; set on the writer
    /// only (see `DatabasePool.beforeEveryCommit`). It consumes the values staged in memory.
    var beforeCommit: ((Connection) throws -> Void)?
    /// Values the open transaction stages in memory for its before-commit step, in order (see
    /// `stage`). Every transaction starts with none; a savepoint rolled back drops those staged in it.
    private var staged: [Any] = []

    /// Process-wide settings, applied once before the library initialises (on the first open).
    /// Without memory statistics, connections on different threads do not queue on one mutex for
    /// every allocation. `SQLITE_MISUSE` means the library was already initialised by someone else
    /// in this process: it keeps its defaults, which are correct, only slower. The page caches
    /// truncate without walking their tables for nothing (`PageCacheTruncation`).
    private static let libraryConfigured: Bool = {
        let status = parley_sqlite3_disable_memory_statistics()
        return status == SQLITE_OK && PageCacheTruncation.install()
    }()

    /// Whether the process-wide settings took effect (see `libraryConfigured`).
    public static var libraryIsConfigured: Bool { libraryConfigured }

    /// Opens (creating if needed) the database at `path`.
    public init(path: String, readOnly: Bool = false) throws {
        _ = Self.libraryConfigured
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let status = sqlite3_open_v2(path, &db, flags, nil)
        guard status == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open database"
            sqlite3_close_v2(db)
            throw SQLiteError(code: status, message: message)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, 5_000)
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        for statement in literalStatements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements without parameters (schema, pragmas).
    public func execute(_ sql: SQL) throws {
        try execute(raw: sql.text)
    }

    func execute(raw text: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, text, nil, nil, &errorMessage)
        if status != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errorMessage)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: message, sql: text)
        }
    }

    /// Runs a statement that returns no rows; returns the number of rows it changed.
    @discardableResult
    public func run(_ sql: SQL, _ arguments: [any SQLBindable] = []) throws -> Int {
        try withStatement(sql, arguments) { statement in
            while try statement.step() {}
            return Int(sqlite3_changes(handle))
        }
    }

    /// Runs a query and maps every row.
    public func query<T>(_ sql: SQL, _ arguments: [any SQLBindable] = [], _ map: (Row) throws -> T) throws -> [T] {
        try withStatement(sql, arguments) { statement in
            var rows: [T] = []
            while try statement.step() { rows.append(try map(Row(statement: statement.pointer))) }
            return rows
        }
    }

    /// Runs a query and maps the first row, if any.
    public func queryFirst<T>(_ sql: SQL, _ arguments: [any SQLBindable] = [], _ map: (Row) throws -> T) throws -> T? {
        try withStatement(sql, arguments) { statement in
            try statement.step() ? try map(Row(statement: statement.pointer)) : nil
        }
    }

    /// Calls `each` for every row without collecting them (streaming exports).
    public func forEach(_ sql: SQL, _ arguments: [any SQLBindable] = [], _ each: (Row) throws -> Void) throws {
        try withStatement(sql, arguments) { statement in
            while try statement.step() { try each(Row(statement: statement.pointer)) }
        }
    }

    /// The rowid of the last insert on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    public enum TransactionKind: String { case deferred = "DEFERRED", immediate = "IMMEDIATE" }

    /// Runs `body` inside a transaction: commits when it returns, rolls back when it throws.
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        try begin(kind)
        do {
            let result = try body()
            try commit()
            return result
        } catch {
            rollback()
            throw error
        }
    }

    /// Opens a transaction. Prefer `transaction`; this is for callers that run many writes in one
    /// (group commit). Statements are prepared once and cached: sqlite3_exec would parse them every time.
    func begin(_ kind: TransactionKind) throws {
        try run(kind == .immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED")
        staged.removeAll(keepingCapacity: true)
    }

    /// Runs the before-commit step, then commits. The step takes the values staged for it
    /// (`takeStaged`); a value left over is a programming error, and fails the commit rather than
    /// vanish (an audit entry above all). A transaction SQLite already rolled back by itself (a full
    /// disk, an I/O error) is not committed: its staged values would land in autocommit mode.
    func commit() throws {
        guard isInTransaction else {
            staged.removeAll(keepingCapacity: true)
            // The code of the error that ended it (a full disk, say), so it is answered as that error.
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: "the transaction was rolled back before its commit")
        }
        try beforeCommit?(self)
        if let left = staged.first {
            throw SQLiteError(code: SQLITE_MISUSE, message: "a value of type \(type(of: left)) was staged for the commit, and no before-commit step took it")
        }
        try run("COMMIT")
    }

    /// Rolls the open transaction back, if there is one (SQLite may have rolled it back already).
    func rollback() {
        staged.removeAll(keepingCapacity: true)
        if isInTransaction { _ = try? run("ROLLBACK") }
    }

    /// Stages `value` for the before-commit step of the open transaction (rollup rows added up in
    /// memory instead of written to a table and read back).
    public func stage(_ value: Any) {
        precondition(isInTransaction, "values are staged inside a transaction")
        staged.append(value)
    }

    /// Removes and returns the staged values of type `T`, in the order staged: for the before-commit step.
    public func takeStaged<T>(_ type: T.Type) -> [T] {
        var taken: [T] = []
        var left: [Any] = []
        for value in staged {
            if let value = value as? T { taken.append(value) } else { left.append(value) }
        }
        staged = left
        return taken
    }

    /// Whether a value staged now would reach a before-commit step: a transaction is open and a
    /// step is installed (`Schema.migrate` installs the one that takes audit entries once the
    /// schema is migrated). A step that leaves a staged value untaken fails the commit.
    public var stagesForCommit: Bool { isInTransaction && beforeCommit != nil }

    /// A savepoint's statements; the names are fixed, so each statement is prepared once.
    public struct Savepoint: Sendable {
        let begin: SQL, release: SQL, rollback: SQL
        public static let nested = Savepoint(begin: "SAVEPOINT nested", release: "RELEASE nested", rollback: "ROLLBACK TO nested")
        public static let batchItem = Savepoint(begin: "SAVEPOINT batch_item", release: "RELEASE batch_item",
                                                rollback: "ROLLBACK TO batch_item")
        public static let operation = Savepoint(begin: "SAVEPOINT operation", release: "RELEASE operation",
                                                rollback: "ROLLBACK TO operation")
    }

    /// Runs `body` inside a savepoint of the open transaction: its changes are kept when it returns
    /// and `keep` says so, and undone (only they, with the values staged since) otherwise or when it throws.
    /// Nested writes join their caller's transaction this way.
    public func savepoint<T>(_ savepoint: Savepoint = .nested, keep: (T) -> Bool = { _ in true }, _ body: () throws -> T) throws -> T {
        try run(savepoint.begin)
        let mark = staged.count
        do {
            let result = try body()
            if !keep(result) {
                try run(savepoint.rollback)
                staged.removeSubrange(min(mark, staged.count)...)
            }
            try run(savepoint.release)
            return result
        } catch {
            // Undo what the savepoint did. Should even that fail, the whole transaction is rolled
            // back: a change its caller was told failed must never commit with the rest.
            if isInTransaction {
                do {
                    try run(savepoint.rollback)
                    try run(savepoint.release)
                } catch {
                    rollback()
                }
            }
            staged.removeSubrange(min(mark, staged.count)...)
            throw error
        }
    }

    /// Whether a transaction is open on this connection.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Reads the schema cookie: a cheap read that makes this connection open the WAL index, which a
    /// checkpoint needs (see `Checkpointer`). Returns SQLite's result code.
    func refreshWALIndex() -> Int32 {
        do {
            _ = try queryFirst("PRAGMA schema_version") { $0.int(0) }
            return SQLITE_OK
        } catch let error as SQLiteError {
            return error.extendedCode
        } catch {
            return SQLITE_ERROR
        }
    }

    /// Prepares (once per connection, then cached) and binds a statement; resets it afterwards.
    private func withStatement<T>(_ sql: SQL, _ arguments: [any SQLBindable], _ body: (Statement) throws -> T) throws -> T {
        try withPrepared(sql) { statement in
            var binder = StatementBinder(statement: statement.pointer)
            for argument in arguments { binder.bind(argument.sqlValue) }
            return try binder.withValues(sql) { try body(statement) }
        }
    }

    /// The cached prepared statement for `sql`, reset and unbound after `body`.
    func withPrepared<T>(_ sql: SQL, _ body: (Statement) throws -> T) throws -> T {
        let (pointer, cached) = try prepared(sql)
        defer {
            if cached {
                sqlite3_reset(pointer)
                sqlite3_clear_bindings(pointer)
            } else {
                sqlite3_finalize(pointer)
            }
        }
        return try body(Statement(pointer: pointer, connection: handle, sql: sql))
    }

    /// Composed statements (filter combinations, multi-row inserts of varying size) are cached up
    /// to this many; past it they are prepared for one use, so the cache cannot grow without bound.
    public static let composedCacheLimit = 256

    private func prepared(_ sql: SQL) throws -> (OpaquePointer, cached: Bool) {
        if let (address, owner) = sql.stableAddress {
            if let cached = literalStatements[address] { return (cached, true) }
            let statement = try prepare(sql.text)
            if let owner {
                // Kept statements belong in `static let`s; should many be made on the fly, the cache stops growing.
                guard keptTexts.count < Self.composedCacheLimit else { return (statement, false) }
                keptTexts.append(owner)
            }
            literalStatements[address] = statement
            return (statement, true)
        }
        let text = sql.text
        if let cached = statements[text] { return (cached, true) }
        let statement = try prepare(text)
        guard statements.count < Self.composedCacheLimit else { return (statement, false) }
        statements[text] = statement
        return (statement, true)
    }

    private func prepare(_ text: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v3(handle, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else {
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)), sql: text)
        }
        return statement
    }
}

/// A prepared statement during one use.
struct Statement {
    let pointer: OpaquePointer
    let connection: OpaquePointer
    /// Kept as `SQL`, turned into text only when an error needs it.
    let sql: SQL

    /// Advances; true when a row is available, false when done.
    func step() throws -> Bool {
        switch sqlite3_step(pointer) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            throw SQLiteError(code: sqlite3_extended_errcode(connection), message: String(cString: sqlite3_errmsg(connection)), sql: sql.text)
        }
    }
}

/// The current row of a query, read by column index.
public struct Row {
    let statement: OpaquePointer
    /// Added to every column index: a joined query's later columns read as a row of their own.
    let base: Int32

    init(statement: OpaquePointer, base: Int32 = 0) {
        self.statement = statement
        self.base = base
    }

    /// This row with column `offset` read as column 0 (for the second table of a join).
    public func columns(from offset: Int32) -> Row { Row(statement: statement, base: base + offset) }

    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, base + column) == SQLITE_NULL }

    public func int(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, base + column) }

    public func intOrNil(_ column: Int32) -> Int64? { isNull(column) ? nil : int(column) }

    public func bool(_ column: Int32) -> Bool { sqlite3_column_int64(statement, base + column) != 0 }

    /// Text read with its byte length, so embedded NULs and long values survive.
    public func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(statement, base + column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, base + column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    public func stringOrNil(_ column: Int32) -> String? { isNull(column) ? nil : string(column) }

    /// The text's bytes, valid only inside `body`: for values read without making a `String`.
    public func withText<T>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        guard let text = sqlite3_column_text(statement, base + column) else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, base + column))))
    }

    public func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(statement, base + column))
        guard count > 0, let bytes = sqlite3_column_blob(statement, base + column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }
}
