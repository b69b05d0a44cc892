import ParleyCore
import ParleySQLite

/// Statement links. A token is looked up by its hash; revoking is conditional, so two revokes
/// of one link record one audit entry.
public struct SQLitePortalStore: PortalStore {
    let database: DatabasePool
    public init(database: DatabasePool) { self.database = database }

    public func insert(_ l: PortalLink, audit: AuditRecord, event: TimelineEvent, actor: Principal) throws {
        try database.write { db in
            try db.run("""
                INSERT INTO portal_link (id, case_id, token_hash, expires_at, revoked_at, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [l.id, l.caseID, l.tokenHash, l.expiresAt.millisecondsSinceEpoch, l.revokedAt?.millisecondsSinceEpoch,
                      l.createdBy, l.createdAt.millisecondsSinceEpoch])
            try AuditLog.append(audit, actor: actor, at: l.createdAt, in: db)
            try CaseRows.appendEvent(event, caseID: l.caseID, db)
        }
    }

    static let columns: SQL = "id, case_id, token_hash, expires_at, revoked_at, created_by, created_at"

    static func read(_ row: Row) -> PortalLink {
        PortalLink(id: row.identifier(0), caseID: row.identifier(1), tokenHash: row.blob(2), expiresAt: row.instant(3),
                   revokedAt: row.instantOrNil(4), createdBy: row.string(5), createdAt: row.instant(6))
    }

    public func link(id: PortalLinkID) throws -> PortalLink? {
        try database.read { db in try db.queryFirst("SELECT" + Self.columns + "FROM portal_link WHERE id = ?", [id], Self.read) }
    }

    public func link(tokenHash: [UInt8]) throws -> PortalLink? {
        try database.read { db in
            try db.queryFirst("SELECT" + Self.columns + "FROM portal_link WHERE token_hash = ?", [tokenHash], Self.read)
        }
    }

    public func revoke(_ l: PortalLink, audit: AuditRecord, event: TimelineEvent, actor: Principal) throws -> Bool {
        try database.write { db in
            guard try db.run("UPDATE portal_link SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                             [l.revokedAt?.millisecondsSinceEpoch ?? event.at.millisecondsSinceEpoch, l.id]) == 1
            else { return false }
            try AuditLog.append(audit, actor: actor, at: event.at, in: db)
            try CaseRows.appendEvent(event, caseID: l.caseID, db)
            return true
        }
    }
}
