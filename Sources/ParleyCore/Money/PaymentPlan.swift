/// A payment plan of a case: its status, total and instalments.
public struct PaymentPlan: Sendable, Equatable {
    public let id: PlanID
    public var status: PlanStatus
    public let totalMinor: Int64
    public let frequency: PlanFrequency
    /// The case balance when the plan was proposed; a lower total makes it a settlement plan.
    public let balanceAtProposalMinor: Int64
    public var installments: [Installment]
    /// What completing this settlement plan waived (the `settlement_discount` adjustment); nil
    /// otherwise. Kept here so a reversal that reopens the plan removes exactly this waiver.
    public var settlementWaiver: ComponentSplit?

    public init(id: PlanID, status: PlanStatus, totalMinor: Int64, frequency: PlanFrequency, balanceAtProposalMinor: Int64,
                installments: [Installment], settlementWaiver: ComponentSplit? = nil) {
        self.id = id
        self.status = status
        self.totalMinor = totalMinor
        self.frequency = frequency
        self.balanceAtProposalMinor = balanceAtProposalMinor
        self.installments = installments
        self.settlementWaiver = settlementWaiver
    }

    /// A new plan from validated terms; its status comes from `PlanApproval`.
    public static func propose(id: PlanID, terms: PlanTerms, role: Role, policy: MoneyPolicy) -> PaymentPlan {
        let status = PlanApproval.decide(totalMinor: terms.totalMinor, balanceMinor: terms.balanceMinor, role: role,
                                         maxAgentDiscountPercent: policy.maxAgentDiscountPercent)
        return PaymentPlan(id: id, status: status, totalMinor: terms.totalMinor, frequency: terms.frequency,
                           balanceAtProposalMinor: terms.balanceMinor, installments: terms.schedule.map(Installment.init))
    }

    public var isSettlement: Bool { totalMinor < balanceAtProposalMinor }
    public var allInstallmentsPaid: Bool { installments.allSatisfy(\.isPaid) }
    public var paidMinor: Int64 { installments.reduce(0) { $0 + $1.paidMinor } }

    /// The due date of the earliest instalment still owed, while the plan is live.
    public var nextDueDate: CalendarDate? {
        guard status.isLive else { return nil }
        return installments.filter { !$0.isPaid }.map(\.dueDate).min()
    }

    /// The instalments still owed, oldest due first (ties by position): the order payments fill them.
    public var unpaidInOrder: [Installment] {
        installments.filter { !$0.isPaid }.sorted { ($0.dueDate, $0.seq) < ($1.dueDate, $1.seq) }
    }
}

/// The supervisor and lifecycle moves of a plan, refused as conflicts from the wrong status.
extension PaymentPlan {
    public func approved() throws -> PaymentPlan { try moved(from: [.pendingApproval], to: .active) }
    public func rejected() throws -> PaymentPlan { try moved(from: [.pendingApproval], to: .rejected) }
    public func cancelled() throws -> PaymentPlan { try moved(from: [.pendingApproval, .active], to: .cancelled) }

    private func moved(from allowed: [PlanStatus], to target: PlanStatus) throws -> PaymentPlan {
        guard allowed.contains(status) else {
            throw DomainError.conflict("the plan is \(status.rawValue) and cannot become \(target.rawValue)")
        }
        var next = self
        next.status = target
        return next
    }

    /// One live plan per case: throws a conflict when `existing` holds one.
    public static func ensureSlotFree(existing: [PaymentPlan]) throws {
        if let live = existing.first(where: { $0.status.isLive }) {
            throw DomainError.conflict("the case already has a plan that is \(live.status.rawValue.replacingOccurrences(of: "_", with: " ")): \(live.id)")
        }
    }
}
