import ParleyCore
import ParleySQLite

/// Appends to the hash-chained audit log. Called by every store inside the transaction of the
/// change it records, so a change and its entry commit or roll back together. Writes are
/// serialised by the pool, so reading the previous hash here cannot race another append.
enum AuditLog {
    static func append(_ record: AuditRecord, actor: Principal, at: Instant, in db: Connection) throws {
        let previous = try db.queryFirst("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1") {
            ($0.int(0), $0.string(1))
        }
        let seq = (previous?.0 ?? 0) + 1
        let detail = record.detail.canonical
        let canonical = AuditEntry.canonical(
            seq: seq, at: at, actor: actor.userID, action: record.action, entity: record.entity,
            entityID: record.entityID, detailCanonical: detail)
        let hash = AuditEntry.chainHash(previous: previous?.1 ?? AuditEntry.genesisHash, canonical: canonical)
        try db.run(
            "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [seq, at.millisecondsSinceEpoch, actor.userID, record.action, record.entity, record.entityID, detail, hash])
    }
}
