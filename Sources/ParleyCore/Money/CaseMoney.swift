/// The money side of one case as a value: balance, status bookkeeping and its current plan. Every
/// payment, reversal, waiver and monitor run is a pure function from one `CaseMoney` to the next,
/// so the store layer only persists what these return.
///
/// `plan` is the case's most recent plan (live or completed): the one a payment credits and a
/// reversal may reopen. A reversal of a payment credited to an older plan updates that plan
/// separately with `Allocation.reversed(from:)`.
public struct CaseMoney: Sendable, Equatable {
    public var balance: Balance
    public var status: CaseStatus
    /// The status before `paid` or a `settled` close, restored when a reversal undoes it.
    public var statusBefore: CaseStatus?
    public var closeReason: CloseReason?
    public var plan: PaymentPlan?

    public init(balance: Balance, status: CaseStatus, statusBefore: CaseStatus? = nil, closeReason: CloseReason? = nil,
                plan: PaymentPlan? = nil) {
        self.balance = balance
        self.status = status
        self.statusBefore = statusBefore
        self.closeReason = closeReason
        self.plan = plan
    }

    public init(case debtCase: DebtCase, plan: PaymentPlan?) {
        self.init(balance: debtCase.balance, status: debtCase.status, statusBefore: debtCase.statusBefore,
                  closeReason: debtCase.closeReason, plan: plan)
    }
}

extension DebtCase {
    /// This case with the balance and status bookkeeping of `money`.
    public func updating(with money: CaseMoney) -> DebtCase {
        var next = self
        next.balance = money.balance
        next.status = money.status
        next.statusBefore = money.statusBefore
        next.closeReason = money.closeReason
        return next
    }
}

/// A recorded payment's effect: the state after it and where the money went (stored with the payment).
public struct PaymentApplication: Sendable, Equatable {
    public let money: CaseMoney
    public let allocation: Allocation
}

/// An applied adjustment's effect: the state after it and the waiver by component (stored with the adjustment).
public struct WaiverApplication: Sendable, Equatable {
    public let money: CaseMoney
    public let waiver: ComponentSplit
}

extension CaseMoney {
    /// Records a payment already checked by `PaymentValidation`.
    public func applyingPayment(amountMinor: Int64) -> PaymentApplication {
        let allocation = PaymentAllocator.allocate(amount: amountMinor, balance: balance, plan: plan)
        var next = self
        next.balance = allocation.applied(to: balance)
        next.plan = plan.map(allocation.applied(to:))
        next.settle()
        return PaymentApplication(money: next, allocation: allocation)
    }

    /// Undoes a payment exactly: the ledger, the instalments, a completed plan back to `active`, a
    /// settlement waiver removed and the case status from before `paid` or the `settled` close.
    public func reversingPayment(_ allocation: Allocation) -> CaseMoney {
        var next = self
        next.balance = allocation.reversed(from: balance)
        next.plan = plan.map(allocation.reversed(from:))
        next.reopen()
        return next
    }

    /// Applies an adjustment of `kind` (approved or within policy); nil when it no longer fits the
    /// balance, as can happen between a request and its approval.
    public func applyingAdjustment(_ kind: AdjustmentKind, amountMinor: Int64) -> WaiverApplication? {
        guard let waiver = kind.waiver(of: amountMinor, against: balance) else { return nil }
        var next = self
        next.balance = balance.applyingWaiver(waiver)
        next.settle()
        return WaiverApplication(money: next, waiver: waiver)
    }

    /// Takes a recorded waiver back out of the ledger (a correction; the contract offers no
    /// endpoint for it, but it is the exact inverse the ledger guarantees).
    public func removingWaiver(_ waiver: ComponentSplit) -> CaseMoney {
        var next = self
        next.balance = balance.removingWaiver(waiver)
        next.reopen()
        return next
    }

    /// Runs the plan monitor on the current plan and applies what follows for the case: a broken
    /// plan sends a case in `plan` back to `contacted`; a completed one settles like a payment would.
    public func monitoringPlan(asOf today: CalendarDate, graceDays: Int) -> (money: CaseMoney, outcome: PlanMonitorOutcome)? {
        guard let plan else { return nil }
        let outcome = PlanMonitor.evaluate(plan: plan, asOf: today, graceDays: graceDays)
        var next = self
        switch outcome.change {
        case .none:
            return (next, outcome)
        case .broken:
            next.plan = outcome.plan
            if next.status == .plan { next.status = .contacted }
        case .completed:
            next.settle()
        }
        return (next, PlanMonitorOutcome(change: outcome.change, missedSeqs: outcome.missedSeqs, plan: next.plan ?? outcome.plan))
    }
}

extension CaseMoney {
    /// After money came in or was waived: an active plan whose instalments are all paid, or whose
    /// case owes nothing, completes. A completed settlement plan waives the rest of the balance as a
    /// `settlement_discount` and closes the case as `settled`; otherwise a zero balance makes the case `paid`.
    mutating func settle() {
        if var current = plan, current.status == .active, current.allInstallmentsPaid || balance.balanceMinor == 0 {
            current.status = .completed
            if current.isSettlement, balance.balanceMinor > 0, !status.isTerminal,
               let waiver = AdjustmentKind.settlementDiscount.waiver(of: balance.balanceMinor, against: balance) {
                balance = balance.applyingWaiver(waiver)
                current.settlementWaiver = waiver
                statusBefore = status
                status = .closed
                closeReason = .settled
            }
            plan = current
        }
        if balance.balanceMinor == 0, !status.isTerminal {
            statusBefore = status
            status = .paid
        }
    }

    /// After money was taken back: a completed plan left with an unpaid instalment is live again;
    /// a settlement waiver is taken back whether or not the plan reopens; a case closed as
    /// `settled` (by its plan or by hand) or `paid` that owes again returns to its earlier status.
    /// A plan whose instalments are all still paid stays completed (the money taken back was not
    /// its): it does not settle again, so the waiver just removed is not granted anew.
    mutating func reopen() {
        if var current = plan, current.status == .completed {
            if let waiver = current.settlementWaiver {
                balance = balance.removingWaiver(waiver)
                current.settlementWaiver = nil
            }
            if !current.allInstallmentsPaid { current.status = .active }
            plan = current
        }
        if status == .closed, closeReason == .settled, balance.balanceMinor > 0 {
            status = statusBefore ?? .open
            statusBefore = nil
            closeReason = nil
        }
        if status == .paid, balance.balanceMinor > 0 {
            status = statusBefore ?? .open
            statusBefore = nil
        }
        settle()
    }
}
