import ParleyCore
import ParleySQLite

/// Reads and verifies the audit log. Entries are only ever appended (see `AuditLog`), and
/// triggers refuse UPDATE and DELETE on the table.
public struct SQLiteAuditStore: AuditStore {
    let database: DatabasePool

    public init(database: DatabasePool) { self.database = database }

    public func entries(_ filter: AuditFilter, page: PageRequest) throws -> Page<AuditEntry> {
        let after = page.after.flatMap { Int64($0) } ?? 0
        let rows = try database.read { db in
            try db.query("""
                SELECT seq, at, actor, action, entity, entity_id, detail, hash FROM audit_log
                WHERE seq > ? AND (?2 IS NULL OR entity_id = ?2) AND (?3 IS NULL OR actor = ?3)
                  AND (?4 IS NULL OR at >= ?4) AND (?5 IS NULL OR at < ?5)
                ORDER BY seq LIMIT ?6
                """,
                [after, filter.entityID, filter.actor, filter.from?.millisecondsSinceEpoch,
                 filter.to?.millisecondsSinceEpoch, page.limit + 1]) { row in
                try AuditEntry(
                    seq: row.int(0), at: Instant(millisecondsSinceEpoch: row.int(1)), actor: row.string(2),
                    action: row.string(3), entity: row.string(4), entityID: row.string(5),
                    detail: row.json(6), hash: row.string(7))
            }
        }
        return Page(fetched: rows, limit: page.limit) { String($0.seq) }
    }

    public func verify() throws -> AuditVerification {
        try database.read { db in
            var chain = AuditChain(afterSeq: 0, hash: AuditEntry.genesisHash)
            var count = 0
            var broken: Int64?
            try db.forEach("SELECT seq, at, actor, action, entity, entity_id, detail, hash FROM audit_log ORDER BY seq") { row in
                count += 1
                guard broken == nil else { return }
                // A gap in seq means an entry was removed; a different hash means one was changed.
                guard row.int(0) == chain.seq + 1 else {
                    broken = chain.seq + 1
                    return
                }
                let hash = chain.link(
                    at: Instant(millisecondsSinceEpoch: row.int(1)), actor: row.string(2), action: row.string(3),
                    entity: row.string(4), entityID: row.string(5), detailCanonical: row.string(6))
                if hash != row.string(7) { broken = chain.seq }
            }
            if let broken { return AuditVerification(ok: false, entries: count, brokenAtSeq: broken) }
            return AuditVerification(ok: true, entries: count, brokenAtSeq: nil)
        }
    }
}
