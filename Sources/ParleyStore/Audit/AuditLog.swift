import Dispatch
import ParleyCore
import ParleySQLite

/// Appends to the hash-chained audit log. Called by every store inside the transaction of the
/// change it records, so a change and its entry commit or roll back together. Writes are
/// serialised by the pool, so reading the previous hash here cannot race another append.
///
/// Inside a write transaction the entries are staged on the connection and written by the
/// before-commit step (`writeStaged`), all of a group commit's together: one read of the chain's
/// head and multi-row inserts per commit, and the log's four B-trees are not touched by each write
/// of the group, whose savepoint would otherwise copy their last pages again every time. A write
/// rolled back (its savepoint) drops its staged entries with its other changes.
enum AuditLog {
    /// Entries waiting in a transaction for its commit, in the order they were appended.
    struct Staged {
        let records: [AuditRecord]
        let actor: String
        let at: Instant
    }

    static func append(_ record: AuditRecord, actor: Principal, at: Instant, in db: Connection) throws {
        try append([record], actor: actor, at: at, in: db)
    }

    /// Appends entries: staged for the commit inside a write transaction, else written at once.
    static func append(_ records: [AuditRecord], actor: Principal, at: Instant, in db: Connection) throws {
        guard !records.isEmpty else { return }
        if db.stagesForCommit {
            db.stage(Staged(records: records, actor: actor.userID, at: at))
            return
        }
        var chain = try head(db)
        try insert(link(records, actor: actor.userID, at: at, after: &chain), in: db)
    }

    /// Writes the entries staged in this transaction, in order, after the chain's head: the
    /// before-commit step calls it (other staged values are not its own, and are left alone).
    static func writeStaged(_ db: Connection) throws {
        let staged = db.takeStaged(Staged.self)
        guard !staged.isEmpty else { return }
        var chain = try head(db)
        var entries: [Linked] = []
        for group in staged { entries += link(group.records, actor: group.actor, at: group.at, after: &chain) }
        try insert(entries, in: db)
    }

    /// An entry with its place in the chain, ready to insert.
    struct Linked: Sendable {
        let record: AuditRecord
        let actor: String
        let at: Instant
        let seq: Int64
        let detail: String
        let hash: String
    }

    /// The chain as it ends now, to link the next entries to.
    static func head(_ db: Connection) throws -> AuditChain {
        try db.queryFirst("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1") {
            AuditChain(afterSeq: $0.int(0), hash: $0.string(1))
        } ?? AuditChain(afterSeq: 0, hash: AuditEntry.genesisHash)
    }

    static func link(_ records: [AuditRecord], actor: String, at: Instant, after chain: inout AuditChain) -> [Linked] {
        records.map { record in
            let detail = record.detail.canonical
            let hash = chain.link(at: at, actor: actor, action: record.action.rawValue, entity: record.entity,
                                  entityID: record.entityID, detailCanonical: detail)
            return Linked(record: record, actor: actor, at: at, seq: chain.seq, detail: detail, hash: hash)
        }
    }

    /// Entries per multi-row INSERT (8 values each).
    static let rowsPerInsert = 50

    static func insert(_ count: Int) -> SQL {
        "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, detail, hash) VALUES"
            + SQL.repeated("(?, ?, ?, ?, ?, ?, ?, ?)", count: count)
    }
    // The two statements used most (one entry; a full chunk of an import), composed once.
    static let insertOne = insert(1).kept
    static let insertFull = insert(rowsPerInsert).kept

    /// Inserts linked entries, which must follow the chain's current head.
    static func insert(_ entries: [Linked], in db: Connection) throws {
        for chunk in entries.statementChunks(upTo: rowsPerInsert) {
            let sql = chunk.count == 1 ? Self.insertOne : chunk.count == rowsPerInsert ? Self.insertFull : Self.insert(chunk.count)
            try db.run(sql) { binder in
                for entry in chunk {
                    binder.bind(entry.seq); binder.bind(entry.at.millisecondsSinceEpoch); binder.bind(entry.actor)
                    binder.bind(entry.record.action.rawValue); binder.bind(entry.record.entity); binder.bind(entry.record.entityID)
                    binder.bind(entry.detail); binder.bind(entry.hash)
                }
            }
        }
    }
}

/// Links a bulk write's audit entries on a thread of its own while the writer inserts the rows
/// they record, in the same transaction; the writer then waits for them and inserts them. The
/// entries follow `chain` in the writer's order: only the canonical forms and hashes (a tenth of an
/// import's time on the writer) move off its thread.
final class AuditLinking: @unchecked Sendable {
    // @unchecked: `linked` and `chain` are written by the linking thread before `done` is
    // signalled and read by the writer only after waiting for it.
    private let done = DispatchSemaphore(value: 0)
    private var linked: [AuditLog.Linked] = []
    private var chain: AuditChain

    init(actor: String, at: Instant, after chain: AuditChain, records: @escaping @Sendable () -> [AuditRecord]) {
        self.chain = chain
        WorkerThread.start(name: "parley.audit.link") { [self] in
            linked = AuditLog.link(records(), actor: actor, at: at, after: &self.chain)
            done.signal()
        }
    }

    /// Waits for the entries; returns them with the chain as it ends after them. Call once.
    func wait() -> (entries: [AuditLog.Linked], chain: AuditChain) {
        done.wait()
        return (linked, chain)
    }
}
