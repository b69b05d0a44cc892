import ParleyCore
import ParleySQLite

/// Health is a trivial query on a reader connection that reads the file's header: it fails when
/// the file or pool is broken.
/// It never waits for a reader (`HealthProbe` is asked on an event loop).
public struct SQLiteHealthProbe: HealthProbe {
    let database: DatabasePool

    public init(database: DatabasePool) { self.database = database }

    public func databaseAnswers() -> Bool? {
        do {
            // The schema cookie is read from the file's first page: a query that touches the database.
            guard let answer = try database.readIfReaderFree({ db in try db.queryFirst("PRAGMA schema_version") { _ in 1 } }) else {
                // Every reader is taken: under load that is normal, and the database is serving if
                // transactions keep completing; only one that has stopped doing so is in doubt.
                return database.servedWithin(milliseconds: 2_000) ? true : nil
            }
            return answer == 1
        } catch {
            return false
        }
    }
}
