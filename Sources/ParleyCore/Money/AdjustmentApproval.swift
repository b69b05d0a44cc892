/// Whether an adjustment applies at once or waits for a supervisor.
///
/// Within policy for an agent: a `fee_waiver` up to the fees outstanding; an `interest_waiver` or
/// `settlement_discount` up to `max_agent_discount_percent` of the balance (exactly at the limit
/// is within). Supervisors and admins apply any adjustment at once.
public enum AdjustmentApproval {
    public static func decide(kind: AdjustmentKind, amountMinor: Int64, balance: Balance, role: Role,
                              maxAgentDiscountPercent: Int) -> AdjustmentStatus {
        if MoneyPolicy.canApprove(role) { return .applied }
        let withinPolicy = switch kind {
        case .feeWaiver: amountMinor <= balance.feesOutstanding
        case .interestWaiver, .settlementDiscount:
            MinorUnits.isWithin(percent: maxAgentDiscountPercent, part: amountMinor, of: balance.balanceMinor)
        }
        return withinPolicy ? .applied : .pendingApproval
    }
}
