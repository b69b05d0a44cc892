import ParleyCore
import ParleySQLite

/// One write transaction around a unit of work; the stores' own writes inside it join it.
public struct SQLiteTransactor: Transactor {
    let database: DatabasePool
    public init(database: DatabasePool) { self.database = database }

    public func atomically<T>(_ body: () throws -> T) throws -> T {
        try database.write { _ in try body() }
    }
}
