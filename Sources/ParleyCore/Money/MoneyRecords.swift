/// A payment as recorded, with where it went (contract §9 shapes).
public struct Payment: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable { case applied, reversed }
    public let id: PaymentID
    public let caseID: CaseID
    public let amountMinor: Int64
    public let currency: String
    public let paidAt: Instant
    public let method: String?
    public let reference: String?
    public var status: Status
    public let allocation: Allocation
    public let createdBy: String
    public let createdAt: Instant
    public var reversedAt: Instant?
    public var reversedBy: String?
    public var reversalReason: String?

    public init(id: PaymentID, caseID: CaseID, amountMinor: Int64, currency: String, paidAt: Instant, method: String?,
                reference: String?, status: Status, allocation: Allocation, createdBy: String, createdAt: Instant,
                reversedAt: Instant? = nil, reversedBy: String? = nil, reversalReason: String? = nil) {
        self.id = id
        self.caseID = caseID
        self.amountMinor = amountMinor
        self.currency = currency
        self.paidAt = paidAt
        self.method = method
        self.reference = reference
        self.status = status
        self.allocation = allocation
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.reversedAt = reversedAt
        self.reversedBy = reversedBy
        self.reversalReason = reversalReason
    }
}

/// An incentive or correction that reduces what is owed without a payment.
public struct Adjustment: Sendable, Equatable {
    public let id: AdjustmentID
    public let caseID: CaseID
    public let kind: AdjustmentKind
    public let amountMinor: Int64
    public let reason: String
    public var status: AdjustmentStatus
    /// What was waived per component, once applied.
    public var waiver: ComponentSplit?
    public let requestedBy: String
    public let createdAt: Instant
    public var decidedBy: String?
    public var decidedAt: Instant?

    public init(id: AdjustmentID, caseID: CaseID, kind: AdjustmentKind, amountMinor: Int64, reason: String, status: AdjustmentStatus,
                waiver: ComponentSplit?, requestedBy: String, createdAt: Instant, decidedBy: String? = nil, decidedAt: Instant? = nil) {
        self.id = id
        self.caseID = caseID
        self.kind = kind
        self.amountMinor = amountMinor
        self.reason = reason
        self.status = status
        self.waiver = waiver
        self.requestedBy = requestedBy
        self.createdAt = createdAt
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
    }
}

/// A plan with the case it belongs to and who proposed and decided it.
public struct CasePlan: Sendable, Equatable {
    public var plan: PaymentPlan
    public let caseID: CaseID
    public let createdBy: String
    public let createdAt: Instant
    public var updatedAt: Instant
    public var decidedBy: String?

    public init(plan: PaymentPlan, caseID: CaseID, createdBy: String, createdAt: Instant, updatedAt: Instant, decidedBy: String? = nil) {
        self.plan = plan
        self.caseID = caseID
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.decidedBy = decidedBy
    }
}

/// A promise with the case it belongs to.
public struct CasePromise: Sendable, Equatable {
    public var promise: PaymentPromise
    public let caseID: CaseID
    public let createdBy: String
    public var resolvedAt: Instant?

    public init(promise: PaymentPromise, caseID: CaseID, createdBy: String, resolvedAt: Instant? = nil) {
        self.promise = promise
        self.caseID = caseID
        self.createdBy = createdBy
        self.resolvedAt = resolvedAt
    }
}

/// Everything one money operation changes, written in one transaction: the case (ledger and
/// status, saved only if still at `expectedVersion`), plans, a payment, promises, an adjustment,
/// with audit entries and timeline events.
public struct MoneyChange: Sendable {
    public var debtCase: DebtCase?
    public var expectedVersion: Int64 = 0
    public var plans: [CasePlan] = []
    public var payment: Payment?
    public var promises: [CasePromise] = []
    public var adjustments: [Adjustment] = []
    public var audit: [AuditRecord] = []
    public var events: [TimelineEvent] = []
    public init() {}
}

public protocol MoneyStore: Sendable {
    /// Inserts or updates every record of the change, in one transaction.
    func apply(_ change: MoneyChange, actor: Principal, at: Instant) throws
    func plans(caseID: CaseID) throws -> [CasePlan]
    func plan(id: PlanID) throws -> CasePlan?
    /// Plans that the monitor and the reminders look at (`active`).
    func activePlans() throws -> [CasePlan]
    func payments(caseID: CaseID) throws -> [Payment]
    func payment(id: PaymentID) throws -> Payment?
    func promises(caseID: CaseID) throws -> [CasePromise]
    func pendingPromises() throws -> [CasePromise]
    func adjustments(caseID: CaseID) throws -> [Adjustment]
    func adjustment(id: AdjustmentID) throws -> Adjustment?
}
