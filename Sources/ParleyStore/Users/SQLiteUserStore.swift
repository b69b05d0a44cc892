import ParleyCore
import ParleySQLite

/// Users and their keys. Invariant: a key is stored only as its SHA-256; a user's change, a key's
/// issue or revocation commits with its audit entry.
public struct SQLiteUserStore: UserStore {
    let database: DatabasePool

    public init(database: DatabasePool) { self.database = database }

    public func insert(_ user: User, key: StoredKey, audit: AuditRecord, actor: Principal) throws {
        try database.write { db in
            try db.run("""
                INSERT INTO app_user (id, name, role, team, active, created_at, updated_at, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [user.id, user.name, user.role.rawValue, user.team, user.active, user.createdAt.millisecondsSinceEpoch,
                 user.updatedAt.millisecondsSinceEpoch, user.version])
            try Self.insertKey(key, db)
            try AuditLog.append(audit, actor: actor, at: user.createdAt, in: db)
        }
    }

    static func insertKey(_ key: StoredKey, _ db: Connection) throws {
        try db.run("INSERT INTO api_key (id, user_id, key_hash, last4, created_at) VALUES (?, ?, ?, ?, ?)",
                   [key.id, key.userID, key.hash, key.last4, key.createdAt.millisecondsSinceEpoch])
    }

    public func user(id: String) throws -> User? {
        try database.read { db in
            guard var user = try db.queryFirst(
                "SELECT id, name, role, team, active, created_at, updated_at, version FROM app_user WHERE id = ?", [id],
                Self.readUser)
            else { return nil }
            user.keys = try Self.liveKeys(of: id, db)
            return user
        }
    }

    static func liveKeys(of userID: String, _ db: Connection) throws -> [APIKeyInfo] {
        try db.query(
            "SELECT id, created_at, last4, revoked_at FROM api_key WHERE user_id = ? AND revoked_at IS NULL ORDER BY id",
            [userID]) { row in
            APIKeyInfo(id: row.string(0), createdAt: Instant(millisecondsSinceEpoch: row.int(1)), last4: row.string(2),
                       revokedAt: row.intOrNil(3).map(Instant.init(millisecondsSinceEpoch:)))
        }
    }

    static func readUser(_ row: Row) throws -> User {
        try User(id: row.string(0), name: row.string(1), role: row.value(2, as: Role.self), team: row.stringOrNil(3),
             active: row.bool(4), createdAt: Instant(millisecondsSinceEpoch: row.int(5)),
             updatedAt: Instant(millisecondsSinceEpoch: row.int(6)), version: row.int(7))
    }

    public func users(page: PageRequest) throws -> Page<User> {
        let rows = try database.read { db in
            try db.query("""
                SELECT id, name, role, team, active, created_at, updated_at, version FROM app_user
                WHERE id > ? ORDER BY id LIMIT ?
                """, [page.after ?? "", page.limit + 1], Self.readUser).map { user in
                var withKeys = user
                withKeys.keys = try Self.liveKeys(of: user.id, db)
                return withKeys
            }
        }
        return Page(fetched: rows, limit: page.limit) { $0.id }
    }

    public func update(_ user: User, expectedVersion: Int64, audit: AuditRecord, actor: Principal) throws {
        try database.write { db in
            let changed = try db.run("""
                UPDATE app_user SET role = ?, team = ?, active = ?, updated_at = ?, version = ?
                WHERE id = ? AND version = ?
                """,
                [user.role.rawValue, user.team, user.active, user.updatedAt.millisecondsSinceEpoch, user.version,
                 user.id, expectedVersion])
            guard changed == 1 else { throw DomainError.preconditionFailed("user \(user.id) was changed meanwhile") }
            // Without an active admin nobody could manage users again but from the command line.
            let adminLeft = try db.queryFirst("SELECT EXISTS (SELECT 1 FROM app_user WHERE role = 'admin' AND active = 1)") { $0.bool(0) }
            guard adminLeft == true else {
                throw DomainError.conflict("this would leave no active admin; make another user admin first")
            }
            try AuditLog.append(audit, actor: actor, at: user.updatedAt, in: db)
        }
    }

    public func insertKey(_ key: StoredKey, audit: AuditRecord, actor: Principal) throws {
        try database.write { db in
            try Self.insertKey(key, db)
            try AuditLog.append(audit, actor: actor, at: key.createdAt, in: db)
        }
    }

    public func revokeKey(userID: String, keyID: String, at: Instant, audit: AuditRecord, actor: Principal) throws -> Bool {
        try database.write { db in
            let changed = try db.run(
                "UPDATE api_key SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
                [at.millisecondsSinceEpoch, keyID, userID])
            guard changed == 1 else { return false }
            try AuditLog.append(audit, actor: actor, at: at, in: db)
            return true
        }
    }

    public func actor(forKeyHash hash: [UInt8]) throws -> Principal? {
        try database.read { db in
            try db.queryFirst("""
                SELECT u.id, u.role, u.team, k.id, k.key_hash FROM api_key k JOIN app_user u ON u.id = k.user_id
                WHERE k.key_hash = ? AND k.revoked_at IS NULL AND u.active = 1
                """, [hash]) { row -> Principal? in
                // The index found the row; compare the digest again in constant time before trusting it.
                guard Hashing.constantTimeEquals(row.blob(4), hash) else { return nil }
                let role = try row.value(1, as: Role.self)
                return Principal(userID: row.string(0), role: role, team: row.stringOrNil(2), keyID: row.string(3))
            } ?? nil
        }
    }

    public func userCount() throws -> Int {
        try database.read { db in try db.queryFirst("SELECT count(*) FROM app_user") { Int($0.int(0)) } ?? 0 }
    }
}
