/// Ordered, recorded, forward-only schema migrations. Each runs once, in its own transaction,
/// and is recorded in `schema_migration`. Migrations are never edited once released.
public struct Migrator {
    public struct Migration {
        let id: String
        let apply: (Connection) throws -> Void
    }

    private var migrations: [Migration] = []

    public init() {}

    public mutating func register(_ id: String, _ apply: @escaping (Connection) throws -> Void) {
        precondition(!migrations.contains { $0.id == id }, "duplicate migration \(id)")
        migrations.append(Migration(id: id, apply: apply))
    }

    public var identifiers: [String] { migrations.map(\.id) }

    /// The migrations registered before `id` (all of them when there is no such id).
    public func stopping(before id: String) -> Migrator {
        var earlier = Migrator()
        earlier.migrations = Array(migrations.prefix { $0.id != id })
        return earlier
    }

    /// A database that has migrations this binary does not know was written by a newer version.
    public struct NewerDatabaseError: Error, CustomStringConvertible {
        public let unknown: [String]
        public var description: String {
            "the database was migrated by a newer version of parley (unknown migrations: \(unknown.joined(separator: ", ")))"
        }
    }

    /// Applies every pending migration; returns the ids applied.
    @discardableResult
    public func migrate(_ pool: DatabasePool) throws -> [String] {
        try pool.withWriter { db in
            try db.execute("CREATE TABLE IF NOT EXISTS schema_migration (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL) STRICT")
            let applied = Set(try db.query("SELECT id FROM schema_migration") { $0.string(0) })
            let unknown = applied.subtracting(identifiers).sorted()
            guard unknown.isEmpty else { throw NewerDatabaseError(unknown: unknown) }
            var done: [String] = []
            for migration in migrations where !applied.contains(migration.id) {
                try db.transaction(.immediate) {
                    try migration.apply(db)
                    try db.run("INSERT INTO schema_migration (id, applied_at) VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))", [migration.id])
                }
                done.append(migration.id)
            }
            return done
        }
    }
}
