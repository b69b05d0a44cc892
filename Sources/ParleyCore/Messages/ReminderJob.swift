/// The `reminders` job (contract §8, §15): for every pending instalment of an active plan and every
/// pending promise, one message per offset in `reminder_days_before_due`, scheduled at 10:00
/// debtor-local on that day, made once per (instalment or promise, offset). Offsets whose time is
/// more than 24 hours before `as_of` are skipped.
public struct ReminderJob: Sendable {
    let money: any MoneyStore
    let messages: MessageService
    let cases: any CaseStore
    let compliance: ComplianceService

    public init(money: any MoneyStore, messages: MessageService, cases: any CaseStore, compliance: ComplianceService) {
        self.money = money
        self.messages = messages
        self.cases = cases
        self.compliance = compliance
    }

    public func run(asOf: Instant) throws -> [(String, Int64)] {
        let offsets = compliance.engine.policy.reminderDaysBeforeDue
        let earliest = asOf.adding(seconds: -86_400)
        var created: Int64 = 0, skipped: Int64 = 0
        func remind(_ key: String, formerly formerKey: String? = nil, caseID: CaseID, due: CalendarDate,
                    kind: MessageService.ReminderKind, values: [String: String]) throws {
            guard let (_, debtor) = try cases.debtCaseWithDebtor(id: caseID) else { return }
            let zone = LocalTime.zone(named: debtor.timezone)
            for offset in offsets {
                let at = LocalTime.instant(localDate: due.adding(days: -offset), hour: 10, minute: 0, in: zone)
                guard at >= earliest else { skipped += 1; continue }
                if try messages.scheduleReminder(key: key + ":" + String(offset), formerKey: formerKey.map { $0 + ":" + String(offset) },
                                                 caseID: caseID, kind: kind, values: values, at: at) {
                    created += 1
                }
            }
        }
        for plan in try money.activePlans() {
            guard let debtCase = try cases.debtCase(id: plan.caseID) else { continue }
            for installment in plan.plan.installments where !installment.isPaid {
                // The amount is part of the key: once a payment changes what is unpaid, the next
                // run makes a reminder that says so, and the old one is suppressed when due. A
                // reminder made under the key without the amount (before it was part of it) stands
                // for the same one: none is made again beside it.
                let slot = "installment:\(plan.plan.id):\(installment.seq)"
                try remind(slot + ":" + String(installment.unpaidMinor), formerly: slot, caseID: plan.caseID, due: installment.dueDate,
                           kind: .installment, values: [
                               "installment.seq": String(installment.seq), "installment.due_date": installment.dueDate.description,
                               "installment.amount_minor": String(installment.unpaidMinor),
                               "installment.amount": MoneyText.format(installment.unpaidMinor, currency: debtCase.currency),
                           ])
            }
        }
        for promise in try money.pendingPromises() {
            guard let debtCase = try cases.debtCase(id: promise.caseID) else { continue }
            try remind("promise:\(promise.promise.id)", caseID: promise.caseID, due: promise.promise.dueDate, kind: .promise, values: [
                "promise.due_date": promise.promise.dueDate.description,
                "promise.amount_minor": String(promise.promise.amountMinor),
                "promise.amount": MoneyText.format(promise.promise.amountMinor, currency: debtCase.currency),
            ])
        }
        return [("scheduled", created), ("skipped_past", skipped)]
    }
}
