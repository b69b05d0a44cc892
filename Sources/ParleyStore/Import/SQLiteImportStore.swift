import ParleyCore
import ParleySQLite

/// Stores placement rows in batched transactions. Invariants: a case that exists (same creditor
/// and external_ref) is never touched, so a repeated file creates nothing; a debtor is created at
/// most once per `debtor_external_ref`; each batch commits with one audit entry naming the import.
public struct SQLiteImportStore: ImportStore {
    let database: DatabasePool
    static let batchSize = 5_000

    public init(database: DatabasePool) { self.database = database }

    struct DryRunRollback: Error { let counts: ImportCounts }

    public func importRows(_ rows: [PlacementRow], importID: String, dryRun: Bool, actor: Actor, at: Instant,
                           makeID: @Sendable (String) -> String,
                           segment: @Sendable (PlacementRow, Bool) -> Segment) throws -> ImportCounts {
        // Debtors seen in this file: id and whether they are bankrupt (an input of the segment rules).
        var debtors: [String: (id: String, bankruptcy: Bool)] = [:]
        if dryRun {
            do {
                try database.write { db in
                    var counts = ImportCounts()
                    try store(rows[...], into: &counts, debtors: &debtors, importID: importID, actor: actor, at: at,
                              makeID: makeID, segment: segment, db)
                    throw DryRunRollback(counts: counts)
                }
            } catch let rollback as DryRunRollback {
                return rollback.counts
            }
        }
        var total = ImportCounts()
        var start = 0
        while start < rows.count {
            let batch = rows[start..<min(start + Self.batchSize, rows.count)]
            let counts = try database.write { db in
                var counts = ImportCounts()
                try store(batch, into: &counts, debtors: &debtors, importID: importID, actor: actor, at: at,
                          makeID: makeID, segment: segment, db)
                try AuditLog.append(
                    AuditRecord(action: "import.batch", entity: "import", entityID: importID, detail: .object([
                        ("first_line", .number(String(batch.first!.line))), ("last_line", .number(String(batch.last!.line))),
                        ("created_cases", .number(String(counts.createdCases))),
                        ("created_debtors", .number(String(counts.createdDebtors))),
                        ("unchanged", .number(String(counts.unchanged))),
                    ])), actor: actor, at: at, in: db)
                return counts
            }
            total.createdCases += counts.createdCases
            total.createdDebtors += counts.createdDebtors
            total.unchanged += counts.unchanged
            start += Self.batchSize
        }
        return total
    }

    private func store(_ rows: ArraySlice<PlacementRow>, into counts: inout ImportCounts,
                       debtors: inout [String: (id: String, bankruptcy: Bool)], importID: String, actor: Actor, at: Instant,
                       makeID: (String) -> String, segment: (PlacementRow, Bool) -> Segment, _ db: Connection) throws {
        for row in rows {
            let exists = try db.queryFirst("SELECT 1 FROM debt_case WHERE creditor = ? AND external_ref = ?",
                                           [row.creditor, row.externalRef]) { _ in true } ?? false
            if exists {
                counts.unchanged += 1
                continue
            }
            let debtor: (id: String, bankruptcy: Bool)
            if let known = debtors[row.debtorExternalRef] {
                debtor = known
            } else if let stored = try db.queryFirst("SELECT id, bankruptcy FROM debtor WHERE external_ref = ?",
                                                     [row.debtorExternalRef], { ($0.string(0), $0.bool(1)) }) {
                debtor = (stored.0, stored.1)
            } else {
                debtor = (makeID("dbt"), false)
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
                id: makeID("case"), debtorID: debtor.id, creditor: row.creditor, externalRef: row.externalRef,
                currency: row.currency,
                balance: Balance(principalMinor: row.principalMinor, interestMinor: row.interestMinor, feesMinor: row.feesMinor,
                                 ledger: LedgerTotals()),
                delinquentSince: row.delinquentSince, jurisdiction: row.jurisdiction, assignedTo: nil, team: nil,
                priority: .normal, tags: [], status: .open, statusBefore: nil, closeReason: nil,
                segment: segment(row, debtor.bankruptcy), segmentOverride: nil, version: 1, createdAt: at, updatedAt: at),
                source: importID, createdBy: actor.userID, db)
            counts.createdCases += 1
        }
    }
}
