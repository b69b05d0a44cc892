/// What the plan monitor found for one plan.
public struct PlanMonitorOutcome: Sendable, Equatable {
    public enum Change: String, Sendable { case none, completed, broken }

    public let change: Change
    /// Instalments that became `missed` on this run.
    public let missedSeqs: [Int]
    /// The plan with the change applied.
    public let plan: PaymentPlan

    public init(change: Change, missedSeqs: [Int], plan: PaymentPlan) {
        self.change = change
        self.missedSeqs = missedSeqs
        self.plan = plan
    }
}

/// Checks an active plan against the debtor-local date.
///
/// An instalment still owed after the last grace day (`due_date + grace_days`) is `missed` and
/// breaks the plan: a payment on the last grace day itself is in time. A plan whose instalments are
/// all paid is `completed`. Plans in any other status are left alone. The case-level consequences
/// (back to `contacted`, the settlement waiver) are `CaseMoney.monitoringPlan`'s job.
public enum PlanMonitor {
    public static func evaluate(plan: PaymentPlan, asOf today: CalendarDate, graceDays: Int) -> PlanMonitorOutcome {
        guard plan.status == .active else { return PlanMonitorOutcome(change: .none, missedSeqs: [], plan: plan) }
        var next = plan
        if plan.allInstallmentsPaid {
            next.status = .completed
            return PlanMonitorOutcome(change: .completed, missedSeqs: [], plan: next)
        }
        var missed: [Int] = []
        for index in next.installments.indices {
            let installment = next.installments[index]
            guard installment.status == .pending, !installment.isPaid, today > installment.dueDate.adding(days: graceDays)
            else { continue }
            next.installments[index].status = .missed
            missed.append(installment.seq)
        }
        guard !missed.isEmpty else { return PlanMonitorOutcome(change: .none, missedSeqs: [], plan: plan) }
        next.status = .broken
        return PlanMonitorOutcome(change: .broken, missedSeqs: missed, plan: next)
    }
}
