/// Whether a scheduled reminder still reminds of something owed when it is due to go out: the
/// instalment unpaid on a plan still active, for the amount its text states; the promise still
/// pending and not yet paid in full. A debtor who has paid is not told to pay, nor told a stale
/// amount (the reminders job makes its messages days ahead).
struct ReminderRelevance: Sendable {
    let money: any MoneyStore

    /// The reason a reminder is moot, or nil while it still applies. Keys are the reminders job's:
    /// `installment:<plan id>:<seq>:<unpaid minor units>:<offset>` (`installment:<plan id>:<seq>:<offset>`
    /// before the amount was part of it), `promise:<promise id>:<offset>`.
    func mootReason(key: String, caseID: CaseID) throws -> String? {
        let parts = key.split(separator: ":").map(String.init)
        switch parts.first {
        case "installment" where parts.count == 4 || parts.count == 5:
            guard let plan = try money.plan(id: PlanID(parts[1])), plan.caseID == caseID else { return "its plan is gone" }
            guard plan.plan.status == .active else { return "its plan is \(plan.plan.status.rawValue)" }
            guard let installment = plan.plan.installments.first(where: { String($0.seq) == parts[2] }) else {
                return "its instalment is gone"
            }
            if installment.isPaid { return "instalment \(installment.seq) is paid" }
            if parts.count == 5, parts[3] != String(installment.unpaidMinor) {
                return "instalment \(installment.seq) now has \(installment.unpaidMinor) unpaid"
            }
            return nil
        case "promise" where parts.count == 3:
            guard let promise = try money.promises(caseID: caseID).first(where: { $0.promise.id.rawValue == parts[1] }) else {
                return "its promise is gone"
            }
            guard promise.promise.status == .pending else { return "its promise is \(promise.promise.status.rawValue)" }
            // Paid in full already, though the promise monitor has not marked it kept yet.
            let paid = try money.payments(caseID: caseID)
                .filter { $0.status == .applied && $0.paidAt >= promise.promise.createdAt }
                .reduce(Int64(0)) { $0 + $1.amountMinor }
            return paid >= promise.promise.amountMinor ? "its promise is paid" : nil
        default:
            return nil
        }
    }
}
