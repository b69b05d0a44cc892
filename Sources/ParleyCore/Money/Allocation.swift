/// Part of a payment credited to one plan instalment.
public struct InstallmentShare: Sendable, Equatable {
    public let seq: Int
    public let amountMinor: Int64

    public init(seq: Int, amountMinor: Int64) {
        self.seq = seq
        self.amountMinor = amountMinor
    }
}

/// Where a payment went: by balance component and by instalment of the plan it was credited to.
/// Stored with the payment, it is also the exact recipe for its reversal.
public struct Allocation: Sendable, Equatable {
    public let components: ComponentSplit
    /// The plan whose instalments `installments` refers to; nil when no plan was active.
    public let planID: PlanID?
    public let installments: [InstallmentShare]

    public init(components: ComponentSplit, planID: PlanID?, installments: [InstallmentShare]) {
        self.components = components
        self.planID = planID
        self.installments = installments
    }

    public var amountMinor: Int64 { components.totalMinor }

    public func applied(to balance: Balance) -> Balance { balance.applyingPayment(components) }
    public func reversed(from balance: Balance) -> Balance { balance.removingPayment(components) }

    /// Credits the shares; an instalment whose paid amount reaches its amount becomes `paid`.
    public func applied(to installments: [Installment]) -> [Installment] {
        shifting(installments, by: 1)
    }

    /// Takes the shares back; a `paid` instalment that is owed again returns to `pending` (the plan
    /// monitor decides later whether it is missed). A `missed` one stays missed.
    public func reversed(from installments: [Installment]) -> [Installment] {
        shifting(installments, by: -1)
    }

    private func shifting(_ installments: [Installment], by sign: Int64) -> [Installment] {
        var shares: [Int: Int64] = [:]
        for share in self.installments { shares[share.seq, default: 0] += share.amountMinor }
        return installments.map { installment in
            guard let share = shares[installment.seq] else { return installment }
            var next = installment
            next.paidMinor += sign * share
            if next.isPaid { next.status = .paid }
            else if next.status == .paid { next.status = .pending }
            return next
        }
    }

    /// The same allocation applied to a plan, when it is the plan the payment was credited to.
    public func applied(to plan: PaymentPlan) -> PaymentPlan {
        guard plan.id == planID else { return plan }
        var next = plan
        next.installments = applied(to: plan.installments)
        return next
    }

    public func reversed(from plan: PaymentPlan) -> PaymentPlan {
        guard plan.id == planID else { return plan }
        var next = plan
        next.installments = reversed(from: plan.installments)
        return next
    }
}
