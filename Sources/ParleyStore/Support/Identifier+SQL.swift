import ParleyCore
import ParleySQLite

/// Typed ids go into SQLite as their plain text: the schema and the SQL stay as they were.
extension Identifier: SQLBindable {
    public var sqlValue: SQLValue { .text(rawValue) }
}

extension StatementBinder {
    mutating func bind<Entity>(_ id: Identifier<Entity>) { bind(id.rawValue) }

    mutating func bind<Entity>(_ id: Identifier<Entity>?) { bind(id?.rawValue) }
}

extension Row {
    /// The text in `column` as an id of the type the caller expects.
    func identifier<Entity>(_ column: Int32) -> Identifier<Entity> { Identifier(string(column)) }

    func identifierOrNil<Entity>(_ column: Int32) -> Identifier<Entity>? { isNull(column) ? nil : identifier(column) }
}
