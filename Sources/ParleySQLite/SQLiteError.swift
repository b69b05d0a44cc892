import CSQLite

/// A failed SQLite call. It carries the extended result code, SQLite's message and the SQL text,
/// never the bound arguments: debtor names and numbers must not reach logs.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The extended result code (`SQLITE_CONSTRAINT_UNIQUE`, ...).
    public let extendedCode: Int32
    public let message: String
    public let sql: String?

    public init(code: Int32, message: String, sql: String? = nil) {
        self.extendedCode = code
        self.message = message
        self.sql = sql
    }

    /// The primary result code (`SQLITE_CONSTRAINT`, `SQLITE_BUSY`, ...).
    public var primaryCode: Int32 { extendedCode & 0xFF }

    // The extended constraint codes are expression macros that Swift does not import.
    static let constraintUnique: Int32 = 19 | (8 << 8)
    static let constraintPrimaryKey: Int32 = 19 | (6 << 8)
    static let constraintCheck: Int32 = 19 | (1 << 8)
    static let constraintForeignKey: Int32 = 19 | (3 << 8)
    static let constraintNotNull: Int32 = 19 | (5 << 8)

    public var isUniqueViolation: Bool { extendedCode == Self.constraintUnique || extendedCode == Self.constraintPrimaryKey }
    public var isCheckViolation: Bool { extendedCode == Self.constraintCheck }
    public var isForeignKeyViolation: Bool { extendedCode == Self.constraintForeignKey }
    public var isNotNullViolation: Bool { extendedCode == Self.constraintNotNull }
    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }

    public var description: String {
        "SQLite error \(extendedCode): \(message)" + (sql.map { " in `\($0)`" } ?? "")
    }
}
