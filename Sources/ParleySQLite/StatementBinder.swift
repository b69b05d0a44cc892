import CSQLite

/// Binds parameters in order, straight into a prepared statement: no array of boxed values.
/// For hot paths such as multi-row inserts; `run(_:_:)` with an array is the everyday form.
public struct StatementBinder {
    let statement: OpaquePointer
    private(set) var index: Int32 = 1

    init(statement: OpaquePointer) { self.statement = statement }

    public mutating func bind(_ value: String) {
        value.withCString { parley_sqlite3_bind_text_copy(statement, index, $0, Int32(value.utf8.count)) }
        index += 1
    }

    public mutating func bind(_ value: String?) {
        if let value { bind(value) } else { bindNull() }
    }

    public mutating func bind(_ value: Int64) {
        sqlite3_bind_int64(statement, index, value)
        index += 1
    }

    public mutating func bind(_ value: Int) { bind(Int64(value)) }

    public mutating func bind(_ value: Bool) { bind(Int64(value ? 1 : 0)) }

    public mutating func bindNull() {
        sqlite3_bind_null(statement, index)
        index += 1
    }
}

extension Connection {
    /// Runs a statement whose parameters `bind` supplies in order; returns the rows it changed.
    /// Throws if `bind` supplies a different number of values than the statement has.
    @discardableResult
    public func run(_ sql: SQL, binding bind: (inout StatementBinder) throws -> Void) throws -> Int {
        try withPrepared(sql) { statement in
            var binder = StatementBinder(statement: statement.pointer)
            try bind(&binder)
            let expected = sqlite3_bind_parameter_count(statement.pointer)
            guard binder.index - 1 == expected else {
                throw SQLiteError(code: SQLITE_RANGE, message: "expected \(expected) arguments, got \(binder.index - 1)", sql: sql.text)
            }
            while try statement.step() {}
            return Int(sqlite3_changes(handle))
        }
    }
}
