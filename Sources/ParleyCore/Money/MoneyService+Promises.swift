extension MoneyService {
    public func makePromise(caseID: CaseID, amountMinor: Int64, dueDate: String, by actor: Principal) throws -> CasePromise {
        try actor.require(.logCaseActivity)
        _ = try cases.visibleCase(caseID, by: actor)
        let now = clock.now()
        return try transactor.atomically {
            let (debtCase, today, _) = try caseAndToday(caseID, at: now)
            guard !debtCase.status.isTerminal else { throw DomainError.conflict("the case is \(debtCase.status.rawValue)") }
            let date = try PaymentPromise.validate(amountMinor: amountMinor, dueDate: dueDate,
                                                   balanceMinor: debtCase.balance.balanceMinor, today: today)
            let promise = CasePromise(promise: PaymentPromise(id: ids.make("prm"), amountMinor: amountMinor, dueDate: date, createdAt: now),
                                      caseID: caseID, createdBy: actor.userID)
            var change = MoneyChange()
            change.promises = [promise]
            change.audit.append(promiseAudit(.promiseMade, promise))
            change.events.append(TimelineEvent(
                at: now, kind: .promise, actor: actor.userID,
                summary: "Promise to pay \(MoneyText.format(amountMinor, currency: debtCase.currency)) by \(date)", ref: promise.promise.id))
            if debtCase.status.canMove(to: .promise) {
                updated(debtCase, with: moving(debtCase, to: .promise), at: now, actor: actor, into: &change, because: promise.promise.id)
            }
            try commit(change, actor: actor, at: now)
            return promise
        }
    }

    public func promises(caseID: CaseID, by actor: Principal) throws -> [CasePromise] {
        _ = try cases.visibleCase(caseID, by: actor)
        return try store.promises(caseID: caseID)
    }

    func promiseAudit(_ action: AuditAction, _ promise: CasePromise) -> AuditRecord {
        AuditRecord(action: action, entity: "promise", entityID: promise.promise.id, detail: .object([
            ("case_id", .string(promise.caseID.rawValue)), ("amount_minor", .number(String(promise.promise.amountMinor))),
            ("due_date", .string(promise.promise.dueDate.description)), ("status", .string(promise.promise.status.rawValue)),
        ]))
    }

    // MARK: Adjustments

    public func requestAdjustment(caseID: CaseID, _ request: AdjustmentRequest, by actor: Principal) throws -> Adjustment {
        try actor.require(.logCaseActivity)
        _ = try cases.visibleCase(caseID, by: actor)
        let now = clock.now()
        return try transactor.atomically {
            let (debtCase, _, _) = try caseAndToday(caseID, at: now)
            guard !debtCase.status.isTerminal else { throw DomainError.conflict("the case is \(debtCase.status.rawValue)") }
            let kind = try request.validate(balanceMinor: debtCase.balance.balanceMinor)
            let status = AdjustmentApproval.decide(kind: kind, amountMinor: request.amountMinor, balance: debtCase.balance,
                                                   role: actor.role, maxAgentDiscountPercent: policy.maxAgentDiscountPercent)
            var adjustment = Adjustment(id: ids.make("adj"), caseID: caseID, kind: kind, amountMinor: request.amountMinor,
                                        reason: request.reason.trimmingSpaces, status: status, waiver: nil,
                                        requestedBy: actor.userID, createdAt: now)
            var change = MoneyChange()
            if status == .applied {
                adjustment.decidedBy = actor.userID
                adjustment.decidedAt = now
                try apply(&adjustment, to: debtCase, at: now, actor: actor, into: &change)
            }
            change.adjustments.append(adjustment)
            change.audit.append(adjustmentAudit(.adjustmentRequested, adjustment))
            change.events.append(TimelineEvent(at: now, kind: .adjustment, actor: actor.userID,
                                               summary: adjustmentSummary(adjustment, debtCase.currency), ref: adjustment.id))
            try commit(change, actor: actor, at: now)
            return adjustment
        }
    }

    public func decideAdjustment(caseID: CaseID, adjustmentID: AdjustmentID, approve: Bool, by actor: Principal) throws -> Adjustment {
        try actor.require(.approveAndAssign)
        _ = try cases.visibleCase(caseID, by: actor)
        let now = clock.now()
        return try transactor.atomically {
            guard var adjustment = try store.adjustment(id: adjustmentID), adjustment.caseID == caseID else {
                throw DomainError.notFound("adjustment \(adjustmentID)")
            }
            guard adjustment.status == .pendingApproval else {
                throw DomainError.conflict("the adjustment is \(adjustment.status.rawValue)")
            }
            let (debtCase, _, _) = try caseAndToday(caseID, at: now)
            adjustment.decidedBy = actor.userID
            adjustment.decidedAt = now
            var change = MoneyChange()
            if approve {
                adjustment.status = .applied
                try apply(&adjustment, to: debtCase, at: now, actor: actor, into: &change)
            } else {
                adjustment.status = .rejected
            }
            change.adjustments.append(adjustment)
            change.audit.append(adjustmentAudit(approve ? .adjustmentApproved : .adjustmentRejected, adjustment))
            change.events.append(TimelineEvent(at: now, kind: .adjustment, actor: actor.userID,
                                               summary: adjustmentSummary(adjustment, debtCase.currency), ref: adjustment.id))
            try commit(change, actor: actor, at: now)
            return adjustment
        }
    }

    /// Reduces the balance through the ledger; an adjustment that no longer fits the balance is refused.
    private func apply(_ adjustment: inout Adjustment, to debtCase: DebtCase, at now: Instant, actor: Principal,
                       into change: inout MoneyChange) throws {
        let plan = try currentPlan(debtCase.id)
        guard !debtCase.status.isTerminal,
              let application = CaseMoney(case: debtCase, plan: plan?.plan).applyingAdjustment(adjustment.kind, amountMinor: adjustment.amountMinor)
        else { throw ValidationFailure("amount_minor", "no longer fits the balance of \(debtCase.balance.balanceMinor)") }
        adjustment.waiver = application.waiver
        recordPlanChange(from: plan, to: application.money.plan, at: now, actor: actor, into: &change)
        updated(debtCase, with: application.money, at: now, actor: actor, into: &change, because: adjustment.id)
    }

    public func adjustments(caseID: CaseID, by actor: Principal) throws -> [Adjustment] {
        _ = try cases.visibleCase(caseID, by: actor)
        return try store.adjustments(caseID: caseID)
    }

    func adjustmentAudit(_ action: AuditAction, _ adjustment: Adjustment) -> AuditRecord {
        AuditRecord(action: action, entity: "adjustment", entityID: adjustment.id, detail: .object([
            ("case_id", .string(adjustment.caseID.rawValue)), ("kind", .string(adjustment.kind.rawValue)),
            ("amount_minor", .number(String(adjustment.amountMinor))), ("status", .string(adjustment.status.rawValue)),
            ("reason", .string(adjustment.reason)),
        ]))
    }

    func adjustmentSummary(_ adjustment: Adjustment, _ currency: String) -> String {
        "\(adjustment.kind.rawValue) of \(MoneyText.format(adjustment.amountMinor, currency: currency)) \(adjustment.status.rawValue)"
    }
}
