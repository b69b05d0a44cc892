/// A change to a case and what comes with it, applied in one transaction: the new case state
/// (saved only if the stored version is still `expectedVersion`), a dispute to insert or update,
/// the audit entries and the timeline events.
public struct CaseMutation: Sendable {
    public var debtCase: DebtCase
    public var expectedVersion: Int64
    public var insertDispute: Dispute?
    public var updateDispute: Dispute?
    public var audit: [AuditRecord]
    public var events: [TimelineEvent]

    public init(debtCase: DebtCase, expectedVersion: Int64, insertDispute: Dispute? = nil, updateDispute: Dispute? = nil,
                audit: [AuditRecord], events: [TimelineEvent]) {
        self.debtCase = debtCase
        self.expectedVersion = expectedVersion
        self.insertDispute = insertDispute
        self.updateDispute = updateDispute
        self.audit = audit
        self.events = events
    }
}

public protocol CaseStore: Sendable {
    /// Inserts a new case with its audit entry (its `created` event is the case row itself); a
    /// repeated `(creditor, external_ref)` is `conflict`.
    func insert(_ debtCase: DebtCase, audit: AuditRecord, actor: Principal) throws
    func debtCase(id: CaseID) throws -> DebtCase?
    func debtCaseWithDebtor(id: CaseID) throws -> (DebtCase, DebtorSummary)?
    /// A case with its whole debtor in one read (what judging a contact needs).
    func debtCaseAndDebtor(id: CaseID) throws -> (DebtCase, Debtor)?
    func cases(_ filter: CaseFilter, scope: CaseScope, page: PageRequest) throws -> Page<DebtCase>
    func apply(_ mutation: CaseMutation, actor: Principal) throws
    func disputes(caseID: CaseID) throws -> [Dispute]
    /// Events in time order, the communications among them (ties: the creation, then contacts, then
    /// the other events, each in the order recorded). `page.after` is the position
    /// of the last event seen, as `TimelineEvent.position` gives it.
    func timeline(caseID: CaseID, page: PageRequest) throws -> Page<TimelineEvent>
    /// Whether `id` names an active user who works cases (an agent, a supervisor or an admin).
    func isAssignable(_ id: String) throws -> Bool
    /// The debtor's restrictions; nil when there is no such debtor.
    func restrictions(ofDebtor id: DebtorID) throws -> Restrictions?
    /// Streams cases (with debtor fields) for export, in id order, without collecting them.
    func exportRows(_ filter: CaseFilter, scope: CaseScope, each: (ExportRow) throws -> Void) throws
}

/// One row of the case export: the import columns plus status, balance and segment.
public struct ExportRow: Sendable {
    public let debtCase: DebtCase
    public let debtorExternalRef: String?
    public let debtorName: String
    public let phone: String?
    public let email: String?
    public let timezone: String
    public init(debtCase: DebtCase, debtorExternalRef: String?, debtorName: String, phone: String?, email: String?, timezone: String) {
        self.debtCase = debtCase
        self.debtorExternalRef = debtorExternalRef
        self.debtorName = debtorName
        self.phone = phone
        self.email = email
        self.timezone = timezone
    }
}
