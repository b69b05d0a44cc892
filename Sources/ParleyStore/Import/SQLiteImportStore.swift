import ParleyCore
import ParleySQLite

/// Stores placement rows. Invariants: a case that exists (same creditor and external_ref) is never
/// touched, so a repeated file creates nothing; a debtor is created at most once per
/// `debtor_external_ref`; each batch commits with one audit entry naming the import and its lines.
public struct SQLiteImportStore: ImportStore {
    let database: DatabasePool

    public init(database: DatabasePool) { self.database = database }

    struct DryRunRollback: Error { let counts: ImportCounts }

    public func importBatch(next: () -> [PlacementRow]?, batchSize: Int, importID: String, actor: Actor, at: Instant,
                            factory: ImportFactory, debtors: inout [String: ImportedDebtor]) throws -> (ImportCounts, exhausted: Bool) {
        try database.write { db in
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
                firstLine = firstLine ?? piece.first?.line
                lastLine = piece.last?.line ?? lastLine
                try store(piece[...], into: &counts, debtors: &debtors, importID: importID, actor: actor, at: at, factory: factory, db)
                stored += piece.count
            }
            if let firstLine {
                try AuditLog.append(
                    AuditRecord(action: "import.batch", entity: "import", entityID: importID, detail: .object([
                        ("first_line", .number(String(firstLine))), ("last_line", .number(String(lastLine))),
                        ("created_cases", .number(String(counts.createdCases))),
                        ("created_debtors", .number(String(counts.createdDebtors))),
                        ("unchanged", .number(String(counts.unchanged))),
                    ])), actor: actor, at: at, in: db)
            }
            return (counts, exhausted)
        }
    }

    public func dryRun(_ rows: [PlacementRow], importID: String, actor: Actor, at: Instant, factory: ImportFactory) throws -> ImportCounts {
        var debtors: [String: ImportedDebtor] = [:]
        do {
            try database.write { db in
                var counts = ImportCounts()
                try store(rows[...], into: &counts, debtors: &debtors, importID: importID, actor: actor, at: at, factory: factory, db)
                throw DryRunRollback(counts: counts)
            }
        } catch let rollback as DryRunRollback {
            return rollback.counts
        }
        return ImportCounts()
    }

    private func store(_ rows: ArraySlice<PlacementRow>, into counts: inout ImportCounts,
                       debtors: inout [String: ImportedDebtor], importID: String, actor: Actor, at: Instant,
                       factory: ImportFactory, _ db: Connection) throws {
        for row in rows {
            let exists = try db.queryFirst("SELECT 1 FROM debt_case WHERE creditor = ? AND external_ref = ?",
                                           [row.creditor, row.externalRef]) { _ in true } ?? false
            if exists {
                counts.unchanged += 1
                continue
            }
            let debtor: ImportedDebtor
            if let known = debtors[row.debtorExternalRef] {
                debtor = known
            } else if let stored = try db.queryFirst("SELECT id, bankruptcy FROM debtor WHERE external_ref = ?",
                                                     [row.debtorExternalRef], { ImportedDebtor(id: $0.string(0), bankruptcy: $0.bool(1)) }) {
                debtor = stored
            } else {
                debtor = ImportedDebtor(id: factory.makeID("dbt"), bankruptcy: false)
                try DebtorRows.insert(Debtor(
                    id: debtor.id, externalRef: row.debtorExternalRef, name: row.debtorName, timezone: row.timezone,
                    language: nil,
                    phones: row.phone.map { [Phone(number: $0, type: .mobile, consentCalls: true, consentSMS: false)] } ?? [],
                    emails: row.email.map { [Email(address: $0, optedOut: false)] } ?? [], address: nil, nationalID: nil,
                    restrictions: Restrictions(), version: 1, createdAt: at, updatedAt: at), db)
                counts.createdDebtors += 1
            }
            debtors[row.debtorExternalRef] = debtor
            try CaseRows.insert(DebtCase(
                id: factory.makeID("case"), debtorID: debtor.id, creditor: row.creditor, externalRef: row.externalRef,
                currency: row.currency,
                balance: Balance(principalMinor: row.principalMinor, interestMinor: row.interestMinor, feesMinor: row.feesMinor,
                                 ledger: LedgerTotals()),
                delinquentSince: row.delinquentSince, jurisdiction: row.jurisdiction, assignedTo: nil, team: nil,
                priority: .normal, tags: [], status: .open, statusBefore: nil, closeReason: nil,
                segment: factory.segment(row, debtor.bankruptcy), segmentOverride: nil, version: 1, createdAt: at, updatedAt: at),
                source: importID, createdBy: actor.userID, db)
            counts.createdCases += 1
        }
    }
}
