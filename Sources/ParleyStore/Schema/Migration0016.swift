import CSQLite
import ParleySQLite

/// CHECK constraints over a list of three or more values become chains of `=` … `OR`: SQLite
/// evaluates `x IN ('a','b','c')` by building a temporary b-tree of the list (opened, filled and
/// freed again on every row written), which was a twentieth of the writer's time for each
/// communication logged. The condition is the same, so every stored row still meets it.
///
/// The table definitions are changed in place, the way SQLite documents for CHECK constraints
/// (https://www.sqlite.org/lang_altertable.html, "making other kinds of table schema changes"):
/// rebuilding the tables would copy every row of the communication record.
enum Migration0016 {
    static func apply(_ db: Connection) throws {
        let tables = try db.query("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%CHECK (%IN (%'") {
            ($0.string(0), $0.string(1))
        }
        let rewritten = tables.compactMap { name, sql in
            let chained = chainingListChecks(sql)
            return chained == sql ? nil : (name, chained)
        }
        guard !rewritten.isEmpty else { return }
        let version = try db.queryFirst("PRAGMA schema_version") { $0.int(0) } ?? 0
        try db.execute("PRAGMA writable_schema=ON")
        // The setting belongs to the connection, not the transaction: off again whatever happens.
        defer { try? db.execute("PRAGMA writable_schema=OFF") }
        for (name, sql) in rewritten {
            try db.run("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?", [sql, name])
        }
        // A new schema version makes every connection read the definitions again.
        try db.execute(SQL.pragma("schema_version", version + 1))
        try db.execute("PRAGMA writable_schema=OFF")
        // Read the new definitions back before the migration commits: one SQLite cannot parse
        // fails here, and the transaction takes the rewrite back with it.
        for (name, _) in rewritten {
            let columns = try db.query("SELECT name FROM pragma_table_info(?)", [name]) { $0.string(0) }
            guard !columns.isEmpty else {
                throw SQLiteError(code: SQLITE_CORRUPT, message: "table \(name) does not read back after its CHECK constraints were rewritten")
            }
        }
    }

    /// `CHECK (x IN ('a','b','c'))` → `CHECK (x = 'a' OR x = 'b' OR x = 'c')`; lists of one or two
    /// values, which SQLite already compares one by one, are left as they are.
    static func chainingListChecks(_ sql: String) -> String {
        sql.replacing(/CHECK \((\w+) IN \(((?:'[a-z_]*'(?:,\s*)?)+)\)\)/) { match in
            let column = String(match.output.1)
            let values = match.output.2.split(separator: ",").map { String($0.filter { !$0.isWhitespace }) }
            guard values.count > 2 else { return String(match.output.0) }
            return "CHECK (" + values.map { column + " = " + $0 }.joined(separator: " OR ") + ")"
        }
    }
}
