import ParleyCore
import ParleySQLite

/// Stores placement rows. Invariants: a case that exists (same creditor and external_ref) is never
/// touched, so a repeated file creates nothing; a debtor is created at most once per
/// `debtor_external_ref`; every created debtor and case has its own audit entry, and each batch
/// commits with one more naming the import and its lines.
///
/// Rows arrive in pieces of a few hundred. Per piece, existing cases and debtors are looked up with
/// one query each, and new rows are written with multi-row INSERTs, so the per-statement cost of
/// SQLite is paid once per many rows.
public struct SQLiteImportStore: ImportStore {
    let database: DatabasePool
    /// Rows per multi-row INSERT (SQLite allows 32,766 bound values per statement; cases take 21 each).
    static let rowsPerInsert = 50

    public init(database: DatabasePool) { self.database = database }

    struct DryRunRollback: Error { let counts: ImportCounts }

    public func importBatch(next: () -> [PreparedPlacement]?, batchSize: Int, importID: String, actor: Principal, at: Instant,
                            factory: ImportFactory, debtors: inout [String: ImportedDebtor]) throws -> (ImportCounts, exhausted: Bool) {
        // Every debtor a case points to was looked up or inserted just before it in this transaction.
        try database.writeBulk { db in
            var counts = ImportCounts()
            var firstLine: Int?
            var lastLine = 0
            var stored = 0
            var exhausted = false
            while stored < batchSize {
                guard let piece = next() else {
                    exhausted = true
                    break
                }
                firstLine = firstLine ?? piece.first?.row.line
                lastLine = piece.last?.row.line ?? lastLine
                try store(piece, into: &counts, debtors: &debtors, importID: importID, actor: actor, at: at, factory: factory, db)
                stored += piece.count
            }
            if let firstLine {
                try AuditLog.append(
                    AuditRecord(action: .importBatch, entity: "import", entityID: importID, detail: .object([
                        ("first_line", .number(String(firstLine))), ("last_line", .number(String(lastLine))),
                        ("created_cases", .number(String(counts.createdCases))),
                        ("created_debtors", .number(String(counts.createdDebtors))),
                        ("unchanged", .number(String(counts.unchanged))),
                    ])), actor: actor, at: at, in: db)
            }
            return (counts, exhausted)
        }
    }

    public func dryRun(_ rows: [PreparedPlacement], importID: String, actor: Principal, at: Instant, factory: ImportFactory) throws -> ImportCounts {
        var debtors: [String: ImportedDebtor] = [:]
        do {
            try database.write { db in
                var counts = ImportCounts()
                var start = 0
                while start < rows.count {
                    let piece = Array(rows[start..<min(start + 500, rows.count)])
                    try store(piece, into: &counts, debtors: &debtors, importID: importID, actor: actor, at: at, factory: factory, db)
                    start += 500
                }
                throw DryRunRollback(counts: counts)
            }
        } catch let rollback as DryRunRollback {
            return rollback.counts
        }
        return ImportCounts()
    }

    struct CaseKey: Hashable {
        let creditor: String
        let externalRef: String
    }

    private func store(_ prepared: [PreparedPlacement], into counts: inout ImportCounts,
                       debtors: inout [String: ImportedDebtor], importID: String, actor: Principal, at: Instant,
                       factory: ImportFactory, _ db: Connection) throws {
        var existing = try existingCases(prepared, db)
        existing.reserveCapacity(existing.count + prepared.count)
        try loadDebtors(prepared.map(\.row.debtorExternalRef).filter { debtors[$0] == nil }, into: &debtors, db)
        var newDebtors: [Debtor] = []
        var newCases: [DebtCase] = []
        for placement in prepared {
            let row = placement.row
            guard existing.insert(CaseKey(creditor: row.creditor, externalRef: row.externalRef)).inserted else {
                counts.unchanged += 1
                continue
            }
            let debtor: ImportedDebtor
            if let known = debtors[row.debtorExternalRef] {
                debtor = known
            } else {
                debtor = ImportedDebtor(id: placement.newDebtor.id, bankruptcy: false)
                debtors[row.debtorExternalRef] = debtor
                newDebtors.append(placement.newDebtor)
            }
            newCases.append(factory.newCase(placement, debtor: debtor, at: at))
        }
        // The audit entries are built and linked on another thread while the rows go in.
        let linking = newCases.isEmpty ? nil : AuditLinking(actor: actor.userID, at: at, after: try AuditLog.head(db)) {
            [newDebtors, newCases] in newDebtors.map(factory.debtorCreated) + newCases.map(factory.caseCreated)
        }
        try insertDebtors(newDebtors, db)
        try insertCases(newCases, importID: importID, createdBy: actor.userID, db)
        try AnalyticsCasePlacement.add(newCases, db)
        if let linking { try AuditLog.insert(linking.wait().entries, in: db) }
        counts.createdDebtors += newDebtors.count
        counts.createdCases += newCases.count
    }

    /// The `(creditor, external_ref)` pairs of this piece that are already stored, in one query.
    private func existingCases(_ rows: [PreparedPlacement], _ db: Connection) throws -> Set<CaseKey> {
        var found = Set<CaseKey>()
        for chunk in rows.statementChunks(upTo: 128) {
            // A join from the VALUES list, so each pair is one seek on the unique index (an IN over row
            // values would scan the table).
            let sql: SQL = "SELECT c.creditor, c.external_ref FROM (VALUES" + SQL.repeated("(?, ?)", count: chunk.count)
                + ") AS v JOIN debt_case c ON c.creditor = v.column1 AND c.external_ref = v.column2"
            var arguments: [any SQLBindable] = []
            arguments.reserveCapacity(chunk.count * 2)
            for placement in chunk { arguments.append(placement.row.creditor); arguments.append(placement.row.externalRef) }
            try db.forEach(sql, arguments) { found.insert(CaseKey(creditor: $0.string(0), externalRef: $0.string(1))) }
        }
        return found
    }

    /// Stored debtors among `refs`, in one query per up to 256 refs.
    private func loadDebtors(_ refs: [String], into debtors: inout [String: ImportedDebtor], _ db: Connection) throws {
        let unique = Array(Set(refs))
        for chunk in unique.statementChunks(upTo: 256) {
            let sql: SQL = "SELECT external_ref, id, bankruptcy FROM debtor WHERE external_ref IN (" + SQL.placeholders(chunk.count) + ")"
            try db.forEach(sql, chunk.map { $0 as any SQLBindable }) { debtors[$0.string(0)] = ImportedDebtor(id: $0.identifier(1), bankruptcy: $0.bool(2)) }
        }
    }

    private func insertDebtors(_ debtors: [Debtor], _ db: Connection) throws {
        for chunk in debtors.statementChunks(upTo: Self.rowsPerInsert) {
            let sql: SQL = """
                INSERT INTO debtor (id, external_ref, name, timezone, phones, emails, version, created_at, updated_at)
                VALUES
                """ + SQL.repeated("(?, ?, ?, ?, ?, ?, ?, ?, ?)", count: chunk.count)
            try db.run(sql) { binder in
                for debtor in chunk {
                    binder.bind(debtor.id)
                    binder.bind(debtor.externalRef)
                    binder.bind(debtor.name)
                    binder.bind(debtor.timezone)
                    binder.bind(DebtorRows.encodePhones(debtor.phones))
                    binder.bind(DebtorRows.encodeEmails(debtor.emails))
                    binder.bind(debtor.version)
                    binder.bind(debtor.createdAt.millisecondsSinceEpoch)
                    binder.bind(debtor.updatedAt.millisecondsSinceEpoch)
                }
            }
        }
        // After the debtors: the generation is the one their rowids reached.
        let contacts = debtors.flatMap { debtor in DebtorRows.contactValues(debtor).map { (value: $0, debtorID: debtor.id) } }
        for chunk in contacts.statementChunks(upTo: 2 * Self.rowsPerInsert) {
            // The generation is computed once per statement.
            let insert: SQL = "WITH newest(generation) AS" + DebtorRows.contactGeneration
                + "INSERT OR IGNORE INTO debtor_contact (generation, value, debtor_id) SELECT newest.generation, v.column1, v.column2"
                + "FROM newest, (VALUES" + SQL.repeated("(?, ?)", count: chunk.count) + ") AS v"
            try db.run(insert) { binder in
                for contact in chunk {
                    binder.bind(contact.value)
                    binder.bind(contact.debtorID)
                }
            }
        }
    }

    private func insertCases(_ cases: [DebtCase], importID: String, createdBy: String, _ db: Connection) throws {
        for chunk in cases.statementChunks(upTo: Self.rowsPerInsert) {
            let sql: SQL = """
                INSERT INTO debt_case (id, debtor_id, creditor, external_ref, currency, principal_minor, interest_minor,
                    fees_minor, delinquent_since, jurisdiction, status, segment, source, created_by, version, created_at, updated_at)
                VALUES
                """ + SQL.repeated("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: chunk.count)
            try db.run(sql) { binder in
                for c in chunk {
                    binder.bind(c.id)
                    binder.bind(c.debtorID)
                    binder.bind(c.creditor)
                    binder.bind(c.externalRef)
                    binder.bind(c.currency)
                    binder.bind(c.balance.principalMinor)
                    binder.bind(c.balance.interestMinor)
                    binder.bind(c.balance.feesMinor)
                    binder.bind(c.delinquentSince.description)
                    binder.bind(c.jurisdiction)
                    binder.bind(c.status.rawValue)
                    binder.bind(c.segment.rawValue)
                    binder.bind(importID)
                    binder.bind(createdBy)
                    binder.bind(c.version)
                    binder.bind(c.createdAt.millisecondsSinceEpoch)
                    binder.bind(c.updatedAt.millisecondsSinceEpoch)
                }
            }
        }
    }
}

