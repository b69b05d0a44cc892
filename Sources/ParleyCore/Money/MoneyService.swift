/// Plans, payments, promises and adjustments on a case (contract §9): each operation reads the
/// case inside one transaction, computes the next state with the pure money types (`CaseMoney`),
/// and writes it with its audit entries and timeline events, so money is never double-counted.
public struct MoneyService: Sendable {
    let store: any MoneyStore
    let cases: CaseService
    let caseStore: any CaseStore
    let compliance: ComplianceService
    let transactor: any Transactor
    let ids: IDGenerator
    let clock: WallClock
    let changes: CaseChangeFeed
    /// Told of every money event written (payments, reversals, plan and promise outcomes), for `/metrics`.
    let onEvent: @Sendable (AuditAction) -> Void

    public init(store: any MoneyStore, cases: CaseService, caseStore: any CaseStore, compliance: ComplianceService,
                transactor: any Transactor, ids: IDGenerator, clock: WallClock, changes: CaseChangeFeed = .silent,
                onEvent: @escaping @Sendable (AuditAction) -> Void = { _ in }) {
        self.changes = changes
        self.onEvent = onEvent
        self.store = store
        self.cases = cases
        self.caseStore = caseStore
        self.compliance = compliance
        self.transactor = transactor
        self.ids = ids
        self.clock = clock
    }

    var policy: MoneyPolicy { MoneyPolicy(compliance.engine.policy) }

    /// Writes a money change and tells the case's listeners (the segment follows payments,
    /// promises and plans).
    func commit(_ change: MoneyChange, actor: Principal, at: Instant) throws {
        try store.apply(change, actor: actor, at: at)
        for record in change.audit { onEvent(record.action) }
        if let caseID = change.debtCase?.id ?? change.plans.first?.caseID ?? change.promises.first?.caseID
            ?? change.payment?.caseID ?? change.adjustments.first?.caseID {
            changes.changed(caseID)
        }
    }

    /// The case and its debtor-local date, read inside the caller's transaction.
    func caseAndToday(_ caseID: CaseID, at instant: Instant) throws -> (DebtCase, CalendarDate, String) {
        guard let (debtCase, debtor) = try caseStore.debtCaseWithDebtor(id: caseID) else { throw DomainError.notFound("case \(caseID)") }
        return (debtCase, LocalTime.localDate(of: instant, in: LocalTime.zone(named: debtor.timezone)), debtor.timezone)
    }

    /// What `check` finds wrong with a request's fields against the case as it is now (its balance
    /// and currency, the debtor-local date, the clock), for a request the API already refuses for
    /// an absent field: so that one answer names every failing field. `check` fills in the absent
    /// fields with any value; their own errors are dropped, as the absence is already reported.
    /// Empty when the case cannot be read: the request fails on that anyway.
    public func fieldChecks(caseID: CaseID, by actor: Principal,
                            _ check: (_ debtCase: DebtCase, _ today: CalendarDate, _ now: Instant) throws -> Void) -> ValidationFailure {
        do {
            try actor.require(.logCaseActivity)
            _ = try cases.visibleCase(caseID, by: actor)
            let now = clock.now()
            let (debtCase, today, _) = try caseAndToday(caseID, at: now)
            try check(debtCase, today, now)
            return ValidationFailure()
        } catch let failure as ValidationFailure {
            return failure
        } catch {
            return ValidationFailure()
        }
    }

    /// The plan a payment credits or a reversal may reopen: the most recent one that is live or completed.
    func currentPlan(_ caseID: CaseID) throws -> CasePlan? {
        try store.plans(caseID: caseID).last { $0.plan.status.isLive || $0.plan.status == .completed }
    }

    /// The case after `money`, with a new version, and what to record when its status changed.
    func updated<Entity>(_ debtCase: DebtCase, with money: CaseMoney, at now: Instant, actor: Principal,
                         into change: inout MoneyChange, because ref: Identifier<Entity>) {
        var next = debtCase.updating(with: money)
        next.version += 1
        next.updatedAt = now
        change.debtCase = next
        change.expectedVersion = debtCase.version
        if next.status != debtCase.status {
            change.audit.append(AuditRecord(action: .caseTransitioned, entity: "case", entityID: debtCase.id, detail: .object([
                ("from", .string(debtCase.status.rawValue)), ("to", .string(next.status.rawValue)),
                ("close_reason", next.closeReason.map { .string($0.rawValue) } ?? .null),
            ])))
            change.events.append(TimelineEvent(at: now, kind: .transition, actor: actor.userID,
                                               summary: "Status \(debtCase.status.rawValue) → \(next.status.rawValue)", ref: ref))
        }
    }

    /// Moves a case to `target` when the status machine allows it (a plan or a promise made).
    func moving(_ debtCase: DebtCase, to target: CaseStatus) -> CaseMoney {
        var money = CaseMoney(case: debtCase, plan: nil)
        if debtCase.status.canMove(to: target) { money.status = target }
        return money
    }

    // MARK: Plans

    public func proposePlan(caseID: CaseID, request: PlanRequest, by actor: Principal) throws -> CasePlan {
        try actor.require(.logCaseActivity)
        _ = try cases.visibleCase(caseID, by: actor)
        let now = clock.now()
        return try transactor.atomically {
            let (debtCase, today, _) = try caseAndToday(caseID, at: now)
            guard !debtCase.status.isTerminal else { throw DomainError.conflict("the case is \(debtCase.status.rawValue)") }
            let terms = try request.validate(balanceMinor: debtCase.balance.balanceMinor, today: today)
            let existing = try store.plans(caseID: caseID)
            try PaymentPlan.ensureSlotFree(existing: existing.map(\.plan))
            let plan = CasePlan(plan: PaymentPlan.propose(id: ids.make("pln"), terms: terms, role: actor.role, policy: policy),
                                caseID: caseID, createdBy: actor.userID, createdAt: now, updatedAt: now,
                                decidedBy: MoneyPolicy.canApprove(actor.role) ? actor.userID : nil)
            var change = MoneyChange()
            change.plans = [plan]
            change.audit.append(planAudit(.planProposed, plan))
            change.events.append(TimelineEvent(at: now, kind: .plan, actor: actor.userID, summary: planSummary(plan, "proposed"), ref: plan.plan.id))
            if plan.plan.status == .active {
                updated(debtCase, with: moving(debtCase, to: .plan), at: now, actor: actor, into: &change, because: plan.plan.id)
            }
            try commit(change, actor: actor, at: now)
            return plan
        }
    }

    public enum PlanDecision: Sendable { case approve, reject, cancel }

    public func decidePlan(caseID: CaseID, planID: PlanID, _ decision: PlanDecision, by actor: Principal) throws -> CasePlan {
        try actor.require(decision == .cancel ? .logCaseActivity : .approveAndAssign)
        _ = try cases.visibleCase(caseID, by: actor)
        let now = clock.now()
        return try transactor.atomically {
            guard var plan = try store.plan(id: planID), plan.caseID == caseID else { throw DomainError.notFound("plan \(planID)") }
            let (debtCase, _, _) = try caseAndToday(caseID, at: now)
            let action: AuditAction
            switch decision {
            case .approve:
                plan.plan = try plan.plan.approved()
                try Self.ensureApprovable(plan.plan, on: debtCase)
                action = .planApproved
            case .reject: plan.plan = try plan.plan.rejected(); action = .planRejected
            case .cancel: plan.plan = try plan.plan.cancelled(); action = .planCancelled
            }
            plan.updatedAt = now
            if decision != .cancel { plan.decidedBy = actor.userID }
            var change = MoneyChange()
            change.plans = [plan]
            change.audit.append(planAudit(action, plan))
            change.events.append(TimelineEvent(at: now, kind: .plan, actor: actor.userID,
                                               summary: planSummary(plan, plan.plan.status.rawValue), ref: planID))
            if decision == .approve {
                updated(debtCase, with: moving(debtCase, to: .plan), at: now, actor: actor, into: &change, because: planID)
            } else if decision == .cancel, debtCase.status == .plan {
                updated(debtCase, with: moving(debtCase, to: .contacted), at: now, actor: actor, into: &change, because: planID)
            }
            try commit(change, actor: actor, at: now)
            return plan
        }
    }

    /// A plan waits for approval while payments go on: a case paid or closed meanwhile takes it no
    /// more (409, as a new plan), nor does a balance that fell below its total (422, left pending:
    /// the supervisor rejects it, and the agent proposes one that fits).
    static func ensureApprovable(_ plan: PaymentPlan, on debtCase: DebtCase) throws {
        guard !debtCase.status.isTerminal else { throw DomainError.conflict("the case is \(debtCase.status.rawValue)") }
        let balance = debtCase.balance.balanceMinor
        guard plan.totalMinor <= balance else {
            throw ValidationFailure("total_minor", "\(plan.totalMinor) no longer fits the balance of \(balance)")
        }
    }

    public func plans(caseID: CaseID, by actor: Principal) throws -> [CasePlan] {
        _ = try cases.visibleCase(caseID, by: actor)
        return try store.plans(caseID: caseID)
    }

    public func plan(caseID: CaseID, planID: PlanID, by actor: Principal) throws -> CasePlan {
        _ = try cases.visibleCase(caseID, by: actor)
        guard let plan = try store.plan(id: planID), plan.caseID == caseID else { throw DomainError.notFound("plan \(planID)") }
        return plan
    }

    func planAudit(_ action: AuditAction, _ plan: CasePlan) -> AuditRecord {
        AuditRecord(action: action, entity: "plan", entityID: plan.plan.id, detail: .object([
            ("case_id", .string(plan.caseID.rawValue)), ("status", .string(plan.plan.status.rawValue)),
            ("total_minor", .number(String(plan.plan.totalMinor))),
            ("installments", .number(String(plan.plan.installments.count))),
        ]))
    }

    func planSummary(_ plan: CasePlan, _ what: String) -> String {
        "Plan \(what): \(plan.plan.installments.count) instalments, total \(plan.plan.totalMinor)"
    }

    // MARK: Payments

    public struct NewPayment: Sendable {
        public var amountMinor: Int64
        public var currency: String
        public var paidAt: Instant?
        public var method: String?
        public var reference: String?
        public init(amountMinor: Int64, currency: String, paidAt: Instant?, method: String?, reference: String?) {
            self.amountMinor = amountMinor
            self.currency = currency
            self.paidAt = paidAt
            self.method = method
            self.reference = reference
        }

        /// The checks that need no case: each field that is there (nil: absent or failed to
        /// decode); `paid_at` is compared with `now` when given. The amount against the balance
        /// and the currency against the case's are `PaymentValidation`'s.
        public static func checkFields(amountMinor: Int64?, paidAt: Instant?, method: String?, reference: String?,
                                       now: Instant?) -> ValidationFailure {
            var failure = ValidationFailure()
            if let amountMinor, amountMinor <= 0 { failure.add("amount_minor", "must be greater than 0") }
            if let paidAt, let now, paidAt > now.adding(seconds: 300) { failure.add("paid_at", "must not be in the future") }
            if let method, method.unicodeScalars.count > 50 { failure.add("method", "must be at most 50 characters") }
            if let reference, reference.unicodeScalars.count > 200 { failure.add("reference", "must be at most 200 characters") }
            return failure
        }
    }

    public func recordPayment(caseID: CaseID, _ request: NewPayment, by actor: Principal) throws -> Payment {
        try actor.require(.logCaseActivity)
        _ = try cases.visibleCase(caseID, by: actor)
        let now = clock.now()
        var failure = NewPayment.checkFields(amountMinor: nil, paidAt: request.paidAt, method: request.method,
                                             reference: request.reference, now: now)
        return try transactor.atomically {
            let (debtCase, _, _) = try caseAndToday(caseID, at: now)
            PaymentValidation.check(amountMinor: request.amountMinor, currency: request.currency,
                                    caseCurrency: debtCase.currency, balanceMinor: debtCase.balance.balanceMinor, into: &failure)
            try failure.throwIfAny()
            let plan = try currentPlan(caseID)
            let before = CaseMoney(case: debtCase, plan: plan?.plan)
            let application = before.applyingPayment(amountMinor: request.amountMinor)
            let payment = Payment(id: ids.make("pay"), caseID: caseID, amountMinor: request.amountMinor, currency: request.currency,
                                  paidAt: request.paidAt ?? now, method: request.method, reference: request.reference,
                                  status: .applied, allocation: application.allocation, createdBy: actor.userID, createdAt: now)
            var change = MoneyChange()
            change.payment = payment
            change.audit.append(paymentAudit(.paymentRecorded, payment))
            change.events.append(TimelineEvent(at: now, kind: .payment, actor: actor.userID,
                                               summary: "Payment of \(MoneyText.format(payment.amountMinor, currency: payment.currency)) recorded",
                                               ref: payment.id))
            recordPlanChange(from: plan, to: application.money.plan, at: now, actor: actor, into: &change)
            updated(debtCase, with: application.money, at: now, actor: actor, into: &change, because: payment.id)
            try commit(change, actor: actor, at: now)
            return payment
        }
    }

    public func reversePayment(caseID: CaseID, paymentID: PaymentID, reason: String, by actor: Principal) throws -> Payment {
        try actor.require(.approveAndAssign)
        _ = try cases.visibleCase(caseID, by: actor)
        let trimmed = reason.trimmingSpaces
        guard !trimmed.isEmpty, reason.unicodeScalars.count <= 2_000 else { throw ValidationFailure("reason", "must be 1 to 2000 characters") }
        let now = clock.now()
        return try transactor.atomically {
            guard var payment = try store.payment(id: paymentID), payment.caseID == caseID else {
                throw DomainError.notFound("payment \(paymentID)")
            }
            guard payment.status == .applied else { throw DomainError.conflict("the payment is already reversed") }
            let (debtCase, today, timezone) = try caseAndToday(caseID, at: now)
            // The plan the payment was credited to, and the case's current plan, which holds the
            // waiver of a `settled` close that the reversal takes back whichever plan (if any) the
            // payment was credited to.
            let credited = try payment.allocation.planID.flatMap { try store.plan(id: $0) }
            let current = try currentPlan(caseID)
            var after = CaseMoney(case: debtCase, plan: (credited ?? current)?.plan).reversingPayment(payment.allocation)
            var planChanges = [(credited ?? current).map { ($0, after.plan) }].compactMap { $0 }
            if let credited, let current, current.plan.id != credited.plan.id, current.plan.settlementWaiver != nil {
                let creditedAfter = after.plan
                after.plan = current.plan
                after.reopen()
                planChanges = [(credited, creditedAfter), (current, after.plan)]
            }
            payment.status = .reversed
            payment.reversedAt = now
            payment.reversedBy = actor.userID
            payment.reversalReason = trimmed
            var change = MoneyChange()
            change.payment = payment
            change.audit.append(paymentAudit(.paymentReversed, payment))
            change.events.append(TimelineEvent(at: now, kind: .payment, actor: actor.userID,
                                               summary: "Payment of \(MoneyText.format(payment.amountMinor, currency: payment.currency)) reversed: \(trimmed)",
                                               ref: payment.id))
            for (before, planAfter) in planChanges {
                recordPlanChange(from: before, to: planAfter, at: now, actor: actor, into: &change)
                if let taken = before.plan.settlementWaiver, planAfter?.settlementWaiver != taken {
                    try reverseSettlementWaiver(taken, caseID: caseID, currency: debtCase.currency, because: payment,
                                                at: now, actor: actor, into: &change)
                }
            }
            try reopenPromises(keptBy: payment, caseID: caseID, today: today, timezone: timezone, at: now, actor: actor, into: &change)
            updated(debtCase, with: after, at: now, actor: actor, into: &change, because: payment.id)
            try commit(change, actor: actor, at: now)
            return payment
        }
    }

    /// Kept promises that the reversed payment was needed for go back to `pending`: the promise
    /// monitor judges them again (broken once their last day has passed without the money), so
    /// the kept-promise rate and the segment never rest on money that did not stay.
    private func reopenPromises(keptBy reversed: Payment, caseID: CaseID, today: CalendarDate, timezone: String, at now: Instant,
                                actor: Principal, into change: inout MoneyChange) throws {
        let kept = try store.promises(caseID: caseID).filter { $0.promise.status == .kept }
        guard !kept.isEmpty else { return }
        let zone = LocalTime.zone(named: timezone)
        let remaining = try store.payments(caseID: caseID).filter { $0.status == .applied && $0.id != reversed.id }.map {
            PromisePayment(paidAt: $0.paidAt, paidOn: LocalTime.localDate(of: $0.paidAt, in: zone), amountMinor: $0.amountMinor)
        }
        for var promise in kept {
            var again = promise.promise
            again.status = .pending
            guard PromiseMonitor.evaluate(promise: again, paymentsSince: remaining, asOf: today,
                                          graceDays: policy.promiseGraceDays) != .kept else { continue }
            promise.promise.status = .pending
            promise.resolvedAt = nil
            change.promises.append(promise)
            change.audit.append(promiseAudit(.promiseReopened, promise))
            change.events.append(TimelineEvent(at: now, kind: .promise, actor: actor.userID,
                                               summary: "Promise reopened: payment \(reversed.id) reversed", ref: promise.promise.id))
        }
    }

    public func payment(caseID: CaseID, paymentID: PaymentID, by actor: Principal) throws -> Payment {
        _ = try cases.visibleCase(caseID, by: actor)
        guard let payment = try store.payment(id: paymentID), payment.caseID == caseID else {
            throw DomainError.notFound("payment \(paymentID)")
        }
        return payment
    }

    public func payments(caseID: CaseID, by actor: Principal) throws -> [Payment] {
        _ = try cases.visibleCase(caseID, by: actor)
        return try store.payments(caseID: caseID)
    }

    /// The `settlement_discount` a completed settlement plan applied, taken back with the payment
    /// that reopened the plan (contract §5): it stays on record as `reversed`.
    private func reverseSettlementWaiver(_ taken: ComponentSplit, caseID: CaseID, currency: String, because payment: Payment,
                                         at now: Instant, actor: Principal, into change: inout MoneyChange) throws {
        // The one the plan's completion wrote: by the system, of exactly what the plan waived.
        guard var waiver = try store.adjustments(caseID: caseID).last(where: {
            $0.kind == .settlementDiscount && $0.status == .applied && $0.requestedBy == Principal.system.userID && $0.waiver == taken
        }) else { return }  // a plan completed before waivers were recorded as adjustments: the ledger alone says it
        waiver.status = .reversed
        waiver.decidedBy = actor.userID
        waiver.decidedAt = now
        change.adjustments.append(waiver)
        change.audit.append(adjustmentAudit(.adjustmentReversed, waiver))
        change.events.append(TimelineEvent(at: now, kind: .adjustment, actor: actor.userID,
                                           summary: adjustmentSummary(waiver, currency) + " with payment \(payment.id)", ref: waiver.id))
    }

    /// The `settlement_discount` a completed settlement plan applies: by the system, with its own audit entry.
    private func addSettlementWaiver(_ waiver: ComponentSplit, planID: PlanID, caseID: CaseID, at now: Instant,
                                     into change: inout MoneyChange) {
        let adjustment = Adjustment(
            id: ids.make("adj"), caseID: caseID, kind: .settlementDiscount, amountMinor: waiver.totalMinor,
            reason: Self.settlementReason(planID), status: .applied, waiver: waiver,
            requestedBy: Principal.system.userID, createdAt: now, decidedBy: Principal.system.userID, decidedAt: now)
        change.adjustments.append(adjustment)
        change.audit.append(adjustmentAudit(.adjustmentApplied, adjustment))
    }

    static func settlementReason(_ planID: PlanID) -> String { "settlement plan \(planID) completed" }

    /// A plan whose instalments or status moved: saved, and a status change recorded.
    func recordPlanChange(from old: CasePlan?, to new: PaymentPlan?, at now: Instant, actor: Principal, into change: inout MoneyChange) {
        guard var plan = old, let new, new != plan.plan else { return }
        let statusChanged = new.status != plan.plan.status
        plan.plan = new
        plan.updatedAt = now
        change.plans.append(plan)
        guard statusChanged else { return }
        let action: AuditAction = switch new.status {
        case .completed: .planCompleted
        case .broken: .planBroken
        default: .planReopened  // a reversal took a completed plan back to active
        }
        change.audit.append(planAudit(action, plan))
        change.events.append(TimelineEvent(at: now, kind: .plan, actor: actor.userID, summary: planSummary(plan, new.status.rawValue),
                                           ref: plan.plan.id))
        if let waiver = new.settlementWaiver, new.status == .completed {
            addSettlementWaiver(waiver, planID: plan.plan.id, caseID: plan.caseID, at: now, into: &change)
        }
    }

    func paymentAudit(_ action: AuditAction, _ payment: Payment) -> AuditRecord {
        let split = payment.allocation.components
        return AuditRecord(action: action, entity: "payment", entityID: payment.id, detail: .object([
            ("case_id", .string(payment.caseID.rawValue)), ("amount_minor", .number(String(payment.amountMinor))),
            ("currency", .string(payment.currency)), ("status", .string(payment.status.rawValue)),
            ("fees_minor", .number(String(split.feesMinor))), ("interest_minor", .number(String(split.interestMinor))),
            ("principal_minor", .number(String(split.principalMinor))),
            ("reason", payment.reversalReason.map(JSONValue.string) ?? .null),
        ]))
    }
}
