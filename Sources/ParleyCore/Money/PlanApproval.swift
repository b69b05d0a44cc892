/// Whether a new plan starts `active` or waits for a supervisor.
///
/// A total below the balance is a settlement: the discount (balance − total) needs approval when it
/// exceeds `max_agent_discount_percent` of the balance. Exactly at the limit is within policy. A
/// supervisor's or admin's own plan is active at once, however deep the discount.
public enum PlanApproval {
    public static func decide(totalMinor: Int64, balanceMinor: Int64, role: Role, maxAgentDiscountPercent: Int) -> PlanStatus {
        let discount = balanceMinor - totalMinor
        if discount <= 0 || MoneyPolicy.canApprove(role) { return .active }
        return MinorUnits.isWithin(percent: maxAgentDiscountPercent, part: discount, of: balanceMinor) ? .active : .pendingApproval
    }
}
