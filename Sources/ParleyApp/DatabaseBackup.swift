import Glibc
import ParleySQLite

/// `parley backup`: a copy of the configured database, taken without opening it as the server
/// does (no migration, no bootstrap, no creation of a file that is not there).
public enum DatabaseBackup {
    public struct NoDatabase: Error, CustomStringConvertible {
        public let path: String
        public var description: String { "there is no database at \(path) (PARLEY_DB or database_path)" }
    }

    public static func copy(_ configuration: AppConfiguration, to destination: String) throws {
        var info = stat()
        guard stat(configuration.databasePath, &info) == 0 else { throw NoDatabase(path: configuration.databasePath) }
        try DatabasePool.backup(from: configuration.databasePath, to: destination)
    }
}
