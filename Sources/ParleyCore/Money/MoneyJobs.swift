/// The money monitors (contract §9): `plan_monitor` marks missed instalments and breaks or
/// completes plans; `promise_monitor` keeps or breaks promises. Each case is its own transaction,
/// judged on the debtor-local date of `as_of`.
extension MoneyService {
    public func runPlanMonitor(asOf: Instant) throws -> [(String, Int64)] {
        var checked: Int64 = 0, broken: Int64 = 0, completed: Int64 = 0, missed: Int64 = 0
        for candidate in try store.activePlans() {
            checked += 1
            try transactor.atomically {
                guard let plan = try store.plan(id: candidate.plan.id), plan.plan.status == .active else { return }
                let (debtCase, today, _) = try caseAndToday(plan.caseID, at: asOf)
                let money = CaseMoney(case: debtCase, plan: plan.plan)
                guard let (after, outcome) = money.monitoringPlan(asOf: today, graceDays: policy.graceDays),
                      outcome.change != .none || !outcome.missedSeqs.isEmpty else { return }
                var change = MoneyChange()
                var saved = plan
                saved.plan = outcome.plan
                saved.updatedAt = asOf
                change.plans = [saved]
                if outcome.change != .none {
                    change.audit.append(planAudit(outcome.change == .broken ? .planBroken : .planCompleted, saved))
                    change.events.append(TimelineEvent(at: asOf, kind: .plan, actor: Principal.system.userID,
                                                       summary: planSummary(saved, outcome.change.rawValue), ref: plan.plan.id))
                } else {
                    change.events.append(TimelineEvent(at: asOf, kind: .plan, actor: Principal.system.userID,
                                                       summary: "Instalments missed: " + outcome.missedSeqs.map(String.init).joined(separator: ", "),
                                                       ref: plan.plan.id))
                }
                updated(debtCase, with: after, at: asOf, actor: .system, into: &change, because: plan.plan.id)
                try commit(change, actor: .system, at: asOf)
                missed += Int64(outcome.missedSeqs.count)
                if outcome.change == .broken { broken += 1 }
                if outcome.change == .completed { completed += 1 }
            }
        }
        return [("checked", checked), ("broken", broken), ("completed", completed), ("missed_installments", missed)]
    }

    public func runPromiseMonitor(asOf: Instant) throws -> [(String, Int64)] {
        var checked: Int64 = 0, kept: Int64 = 0, broken: Int64 = 0
        for candidate in try store.pendingPromises() where candidate.promise.createdAt <= asOf {
            checked += 1
            try transactor.atomically {
                guard var promise = try store.promises(caseID: candidate.caseID).first(where: { $0.promise.id == candidate.promise.id }),
                      promise.promise.status == .pending else { return }
                let (debtCase, today, timezone) = try caseAndToday(promise.caseID, at: asOf)
                let zone = LocalTime.zone(named: timezone)
                // A run as of an earlier instant sees only the payments made by then.
                let payments = try store.payments(caseID: promise.caseID).filter { $0.status == .applied && $0.paidAt <= asOf }.map {
                    PromisePayment(paidAt: $0.paidAt, paidOn: LocalTime.localDate(of: $0.paidAt, in: zone), amountMinor: $0.amountMinor)
                }
                let status = PromiseMonitor.evaluate(promise: promise.promise, paymentsSince: payments, asOf: today,
                                                     graceDays: policy.promiseGraceDays)
                guard status != .pending else { return }
                promise.promise.status = status
                promise.resolvedAt = asOf
                var change = MoneyChange()
                change.promises = [promise]
                change.audit.append(promiseAudit(status == .kept ? .promiseKept : .promiseBroken, promise))
                change.events.append(TimelineEvent(at: asOf, kind: .promise, actor: Principal.system.userID,
                                                   summary: "Promise \(status.rawValue)", ref: promise.promise.id))
                if status == .broken, debtCase.status == .promise {
                    updated(debtCase, with: moving(debtCase, to: .contacted), at: asOf, actor: .system, into: &change,
                            because: promise.promise.id)
                }
                try commit(change, actor: .system, at: asOf)
                if status == .kept { kept += 1 } else { broken += 1 }
            }
        }
        return [("checked", checked), ("kept", kept), ("broken", broken)]
    }

    /// What the debtor is shown (contract §5 statement): the balance, payments, the live plan with
    /// its next due instalment, and open promises.
    public func statement(caseID: CaseID, by actor: Principal) throws -> Statement {
        try statement(of: try cases.visibleCase(caseID, by: actor))
    }

    /// The same statement for the debtor's own page: no principal, because the caller has already
    /// checked the page's token, which names exactly this case.
    public func portalStatement(caseID: CaseID) throws -> Statement {
        guard let debtCase = try cases.caseForJob(caseID) else { throw DomainError.notFound("case \(caseID)") }
        return try statement(of: debtCase)
    }

    private func statement(of debtCase: DebtCase) throws -> Statement {
        let caseID = debtCase.id
        let plans = try store.plans(caseID: caseID)
        let plan = plans.last { $0.plan.status.isLive } ?? plans.last { $0.plan.status == .completed }
        let nextDue = plan?.plan.status == .active ? plan?.plan.unpaidInOrder.first : nil
        return Statement(debtCase: debtCase, payments: try store.payments(caseID: caseID), plan: plan,
                         nextDueSeq: nextDue?.seq, nextDueDate: nextDue?.dueDate, nextDueMinor: nextDue?.unpaidMinor,
                         promises: try store.promises(caseID: caseID).filter { $0.promise.status == .pending })
    }
}

public struct Statement: Sendable {
    public let debtCase: DebtCase
    public let payments: [Payment]
    public let plan: CasePlan?
    /// The instalment due next (the oldest unpaid one of an active plan).
    public let nextDueSeq: Int?
    public let nextDueDate: CalendarDate?
    public let nextDueMinor: Int64?
    public let promises: [CasePromise]
}
