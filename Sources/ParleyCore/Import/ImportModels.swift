/// The placement file's columns (contract §13), in their documented order.
public enum PlacementColumns {
    public static let all = [
        "creditor", "external_ref", "debtor_external_ref", "debtor_name", "phone", "email", "timezone", "jurisdiction",
        "currency", "principal_minor", "interest_minor", "fees_minor", "delinquent_since",
    ]
    /// Export adds these after the import columns.
    public static let exportExtra = ["status", "balance_minor", "segment"]
}

/// One valid row, ready to store.
public struct PlacementRow: Sendable {
    public let line: Int
    public let creditor: String
    public let externalRef: String
    public let debtorExternalRef: String
    public let debtorName: String
    public let phone: String?
    public let email: String?
    public let timezone: String
    public let jurisdiction: String
    public let currency: String
    public let principalMinor: Int64
    public let interestMinor: Int64
    public let feesMinor: Int64
    public let delinquentSince: CalendarDate
}

public struct RejectedRow: Sendable, Equatable {
    public let line: Int
    public let errors: [FieldError]
}

public struct ImportResult: Sendable {
    public var rows = 0
    public var createdDebtors = 0
    public var createdCases = 0
    public var unchanged = 0
    public var rejected: [RejectedRow] = []
    public var dryRun = false
    public var importID = ""
    public init() {}
}

/// What the store reports for a batch of valid rows.
public struct ImportCounts: Sendable, Equatable {
    public var createdDebtors = 0
    public var createdCases = 0
    public var unchanged = 0
    public init() {}
}

/// A debtor the import found or created, remembered for the file's later rows.
public struct ImportedDebtor: Sendable {
    public let id: DebtorID
    public let bankruptcy: Bool
    public init(id: DebtorID, bankruptcy: Bool) {
        self.id = id
        self.bankruptcy = bankruptcy
    }
}

/// How the import names new things and segments new cases; supplied by the service.
/// What the service decides for each stored row: ids, the initial segment, and the audit entries
/// of created debtors and cases (the store only persists them).
public struct ImportFactory: Sendable {
    public let makeID: @Sendable (String) -> String
    public let segment: @Sendable (PlacementRow, _ bankruptcy: Bool) -> Segment
    public let debtorCreated: @Sendable (Debtor) -> AuditRecord
    public let caseCreated: @Sendable (DebtCase) -> AuditRecord
    public init(makeID: @escaping @Sendable (String) -> String, segment: @escaping @Sendable (PlacementRow, Bool) -> Segment,
                debtorCreated: @escaping @Sendable (Debtor) -> AuditRecord, caseCreated: @escaping @Sendable (DebtCase) -> AuditRecord) {
        self.makeID = makeID
        self.segment = segment
        self.debtorCreated = debtorCreated
        self.caseCreated = caseCreated
    }
}

/// A valid row with what storing it would create, worked out on the validating thread so the
/// writer only decides what exists: the case's id and its initial segment for a debtor not in
/// bankruptcy, and the debtor the row creates if its `debtor_external_ref` is new.
public struct PreparedPlacement: Sendable {
    public let row: PlacementRow
    public let caseID: CaseID
    public let segmentIfSolvent: Segment
    public let newDebtor: Debtor
}

extension ImportFactory {
    public func prepare(_ row: PlacementRow, at: Instant) -> PreparedPlacement {
        let debtor = Debtor(
            id: DebtorID(makeID("dbt")), externalRef: row.debtorExternalRef, name: row.debtorName, timezone: row.timezone,
            language: nil,
            phones: row.phone.map { [Phone(number: $0, type: .mobile, consentCalls: true, consentSMS: false)] } ?? [],
            emails: row.email.map { [Email(address: $0, optedOut: false)] } ?? [], address: nil, nationalID: nil,
            restrictions: Restrictions(), version: 1, createdAt: at, updatedAt: at)
        return PreparedPlacement(row: row, caseID: CaseID(makeID("case")), segmentIfSolvent: segment(row, false), newDebtor: debtor)
    }

    /// The case a prepared row creates for `debtor`.
    public func newCase(_ prepared: PreparedPlacement, debtor: ImportedDebtor, at: Instant) -> DebtCase {
        let row = prepared.row
        return DebtCase(
            id: prepared.caseID, debtorID: debtor.id, creditor: row.creditor, externalRef: row.externalRef,
            currency: row.currency,
            balance: Balance(principalMinor: row.principalMinor, interestMinor: row.interestMinor, feesMinor: row.feesMinor,
                             ledger: LedgerTotals()),
            delinquentSince: row.delinquentSince, jurisdiction: row.jurisdiction, assignedTo: nil, team: nil,
            priority: .normal, tags: [], status: .open, statusBefore: nil, closeReason: nil,
            segment: debtor.bankruptcy ? segment(row, true) : prepared.segmentIfSolvent, segmentOverride: nil, version: 1,
            createdAt: at, updatedAt: at)
    }
}

public protocol ImportStore: Sendable {
    /// Stores a batch of valid rows in one transaction with one audit entry. Debtors are found
    /// by `debtor_external_ref` (in `debtors`, then the database) or created; a case whose
    /// `(creditor, external_ref)` exists is left as it is and counted unchanged.
    /// `next` hands over validated rows piece by piece while they are being checked; the store keeps
    /// one transaction open until about `batchSize` rows are in or `next` returns nil.
    func importBatch(next: () -> [PreparedPlacement]?, batchSize: Int, importID: String, actor: Principal, at: Instant,
                     factory: ImportFactory, debtors: inout [String: ImportedDebtor]) throws -> (ImportCounts, exhausted: Bool)
    /// The same work for all rows in one transaction that is rolled back: the counts a real run would report.
    func dryRun(_ rows: [PreparedPlacement], importID: String, actor: Principal, at: Instant, factory: ImportFactory) throws -> ImportCounts
}
