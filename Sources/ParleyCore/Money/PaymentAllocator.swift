/// Decides where a payment goes, without changing anything.
///
/// Within the balance it settles fees, then interest, then principal, each capped at what that
/// component still owes (placed − paid − waived). Independently, it credits the instalments of the
/// active plan oldest due first, each capped at what the instalment still owes; a payment larger
/// than the unpaid instalments leaves the excess uncredited to any instalment.
public enum PaymentAllocator {
    public static let componentOrder: [BalanceComponent] = [.fees, .interest, .principal]

    /// `amount` should already be checked against the balance (`PaymentValidation`); anything beyond
    /// the balance is left out of the allocation rather than overpaying a component.
    public static func allocate(amount: Int64, balance: Balance, installments: [Installment], planID: PlanID? = nil) -> Allocation {
        let components = ComponentSplit.filling(amount, from: balance, in: componentOrder)
        var remaining = components.totalMinor
        var shares: [InstallmentShare] = []
        let owed = installments.filter { !$0.isPaid }.sorted { ($0.dueDate, $0.seq) < ($1.dueDate, $1.seq) }
        for installment in owed where remaining > 0 {
            let take = min(remaining, installment.unpaidMinor)
            shares.append(InstallmentShare(seq: installment.seq, amountMinor: take))
            remaining -= take
        }
        return Allocation(components: components, planID: planID, installments: shares)
    }

    /// The allocation of a payment to a case with `plan`: instalments are credited only while the plan is active.
    public static func allocate(amount: Int64, balance: Balance, plan: PaymentPlan?) -> Allocation {
        guard let plan, plan.status == .active else {
            return allocate(amount: amount, balance: balance, installments: [], planID: nil)
        }
        return allocate(amount: amount, balance: balance, installments: plan.installments, planID: plan.id)
    }
}
