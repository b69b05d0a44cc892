import CSQLite

/// Binds parameters in order into a prepared statement: no array of boxed values.
///
/// Integers are bound at once. Text and blob values are gathered end to end in one buffer and
/// bound without a copy (`SQLITE_STATIC`) only while `withValues` runs, which unbinds them before
/// the buffer can go; SQLite would otherwise allocate and copy every value (a multi-row insert
/// binds hundreds). Every bind's result code is checked.
public struct StatementBinder {
    let statement: OpaquePointer
    private(set) var index: Int32 = 1
    private var bytes: [UInt8] = []
    private var pending: [(index: Int32, offset: Int, count: Int, isText: Bool)] = []
    private var failure: Int32 = SQLITE_OK

    init(statement: OpaquePointer) {
        self.statement = statement
        // Room for every parameter up front when there are many: a multi-row insert binds
        // hundreds, and growing by doubling reallocated both arrays a dozen times for each
        // statement. (A small statement, often of integers only, may need no buffer at all.)
        let parameters = Int(sqlite3_bind_parameter_count(statement))
        if parameters > 32 {
            pending.reserveCapacity(parameters)
            bytes.reserveCapacity(parameters * 16)
        }
    }

    public mutating func bind(_ value: String) {
        var value = value
        let offset = bytes.count
        value.withUTF8 { bytes.append(contentsOf: $0) }
        pending.append((index, offset, bytes.count - offset, true))
        index += 1
    }

    public mutating func bind(_ value: String?) {
        if let value { bind(value) } else { bindNull() }
    }

    public mutating func bind(_ value: Int64) {
        record(sqlite3_bind_int64(statement, index, value))
        index += 1
    }

    public mutating func bind(_ value: Int) { bind(Int64(value)) }

    public mutating func bind(_ value: Bool) { bind(Int64(value ? 1 : 0)) }

    public mutating func bindNull() {
        record(sqlite3_bind_null(statement, index))
        index += 1
    }

    public mutating func bind(_ value: SQLValue) {
        switch value {
        case .null: bindNull()
        case .integer(let integer): bind(integer)
        case .text(let text): bind(text)
        case .blob(let blob):
            let offset = bytes.count
            bytes.append(contentsOf: blob)
            pending.append((index, offset, blob.count, false))
            index += 1
        }
    }

    private mutating func record(_ status: Int32) {
        if status != SQLITE_OK, failure == SQLITE_OK { failure = status }
    }

    /// Binds the gathered text and blob values for the duration of `body` (which steps the
    /// statement), then resets the statement and clears its bindings while the buffer still lives.
    /// Throws if the statement has a different number of parameters than were bound, or if SQLite
    /// refused a value.
    func withValues<T>(_ sql: SQL, _ body: () throws -> T) throws -> T {
        let expected = sqlite3_bind_parameter_count(statement)
        guard index - 1 == expected else {
            throw SQLiteError(code: SQLITE_RANGE, message: "expected \(expected) arguments, got \(index - 1)", sql: sql.text)
        }
        return try bytes.withUnsafeBufferPointer { buffer in
            defer {
                sqlite3_reset(statement)
                sqlite3_clear_bindings(statement)
            }
            var status = failure
            for value in pending where status == SQLITE_OK {
                // A zero-length value still needs a pointer: a null one would bind SQL NULL.
                let start = value.count == 0 ? UnsafeRawPointer(Self.empty.utf8Start) : UnsafeRawPointer(buffer.baseAddress! + value.offset)
                status = value.isText
                    ? sqlite3_bind_text(statement, value.index, start.assumingMemoryBound(to: CChar.self), Int32(value.count), nil)
                    : sqlite3_bind_blob(statement, value.index, start, Int32(value.count), nil)
            }
            guard status == SQLITE_OK else {
                throw SQLiteError(code: status, message: "a value could not be bound: " + String(cString: sqlite3_errstr(status)), sql: sql.text)
            }
            return try body()
        }
    }

    private static let empty: StaticString = ""
}

extension Connection {
    /// Runs a statement whose parameters `bind` supplies in order; returns the rows it changed.
    /// Throws if `bind` supplies a different number of values than the statement has.
    @discardableResult
    public func run(_ sql: SQL, binding bind: (inout StatementBinder) throws -> Void) throws -> Int {
        try withPrepared(sql) { statement in
            var binder = StatementBinder(statement: statement.pointer)
            try bind(&binder)
            return try binder.withValues(sql) {
                while try statement.step() {}
                return Int(sqlite3_changes(handle))
            }
        }
    }
}
