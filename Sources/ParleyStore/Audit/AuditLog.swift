import ParleyCore
import ParleySQLite

/// Appends to the hash-chained audit log. Called by every store inside the transaction of the
/// change it records, so a change and its entry commit or roll back together. Writes are
/// serialised by the pool, so reading the previous hash here cannot race another append.
enum AuditLog {
    static func append(_ record: AuditRecord, actor: Principal, at: Instant, in db: Connection) throws {
        try append([record], actor: actor, at: at, in: db)
    }

    /// Entries per multi-row INSERT (8 values each).
    static let rowsPerInsert = 50

    static func insert(_ count: Int) -> SQL {
        "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, detail, hash) VALUES"
            + SQL.repeated("(?, ?, ?, ?, ?, ?, ?, ?)", count: count)
    }
    // The two statements used most (one entry; a full chunk of an import), composed once.
    static let insertOne = insert(1)
    static let insertFull = insert(rowsPerInsert)

    /// Appends many entries with one read of the chain's head and multi-row inserts (bulk imports
    /// write one entry per created debtor and case).
    static func append(_ records: [AuditRecord], actor: Principal, at: Instant, in db: Connection) throws {
        guard !records.isEmpty else { return }
        var chain = try db.queryFirst("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1") {
            AuditChain(afterSeq: $0.int(0), hash: $0.string(1))
        } ?? AuditChain(afterSeq: 0, hash: AuditEntry.genesisHash)
        var entries: [(record: AuditRecord, seq: Int64, detail: String, hash: String)] = []
        entries.reserveCapacity(records.count)
        for record in records {
            let detail = record.detail.canonical
            let hash = chain.link(at: at, actor: actor.userID, action: record.action.rawValue, entity: record.entity,
                                  entityID: record.entityID, detailCanonical: detail)
            entries.append((record, chain.seq, detail, hash))
        }
        for chunk in entries.statementChunks(upTo: rowsPerInsert) {
            let sql = chunk.count == 1 ? Self.insertOne : chunk.count == rowsPerInsert ? Self.insertFull : Self.insert(chunk.count)
            try db.run(sql) { binder in
                for entry in chunk {
                    binder.bind(entry.seq); binder.bind(at.millisecondsSinceEpoch); binder.bind(actor.userID)
                    binder.bind(entry.record.action.rawValue); binder.bind(entry.record.entity); binder.bind(entry.record.entityID)
                    binder.bind(entry.detail); binder.bind(entry.hash)
                }
            }
        }
    }
}
