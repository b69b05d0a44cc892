import ParleyCore
import ParleySQLite

/// Health is a trivial query on a reader connection: it fails when the file or pool is broken.
public struct SQLiteHealthProbe: HealthProbe {
    let database: DatabasePool

    public init(database: DatabasePool) { self.database = database }

    public func databaseIsHealthy() -> Bool {
        (try? database.read { db in try db.queryFirst("SELECT 1") { $0.int(0) } }) == 1
    }
}
