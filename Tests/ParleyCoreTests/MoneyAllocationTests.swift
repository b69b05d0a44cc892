import ParleyCore
import Testing

private func day(_ text: String) throws -> CalendarDate { try #require(CalendarDate(iso: text)) }

private func plan(total: Int64, balance: Int64, count: Int, first: String = "2026-12-15", status: PlanStatus = .active) throws
    -> PaymentPlan {
    let schedule = try InstallmentSchedule.make(total: total, count: count, frequency: .monthly, firstDue: try day(first))
    return PaymentPlan(id: "plan_1", status: status, totalMinor: total, frequency: .monthly, balanceAtProposalMinor: balance,
                       installments: schedule.map(Installment.init))
}

@Suite struct MoneyAllocationTests {
    @Test func componentsFillFeesThenInterestThenPrincipalByOutstanding() {
        var ledger = LedgerTotals()
        ledger.paidFees = 20
        ledger.waivedFees = 10
        ledger.waivedInterest = 50
        let owed = Balance(principalMinor: 1_000, interestMinor: 200, feesMinor: 50, ledger: ledger)
        let allocation = PaymentAllocator.allocate(amount: 300, balance: owed, installments: [])
        #expect(allocation.components == ComponentSplit(feesMinor: 20, interestMinor: 150, principalMinor: 130))
        #expect(allocation.installments.isEmpty)
        let after = allocation.applied(to: owed)
        #expect(after.balanceMinor == owed.balanceMinor - 300)
        #expect(after.feesOutstanding == 0 && after.interestOutstanding == 0)
        #expect(allocation.reversed(from: after) == owed)
        // More than the balance is never allocated.
        #expect(PaymentAllocator.allocate(amount: 5_000, balance: owed, installments: []).amountMinor == owed.balanceMinor)
    }

    @Test func installmentsFillOldestDueFirstByUnpaidAmount() throws {
        var installments = try plan(total: 300, balance: 300, count: 3).installments
        installments[0].paidMinor = 60
        installments.swapAt(0, 2)  // the stored order must not matter, only the due dates
        let allocation = PaymentAllocator.allocate(amount: 120, balance: Balance(principalMinor: 240, interestMinor: 0, feesMinor: 0,
                                                                                 ledger: LedgerTotals()),
                                                   installments: installments, planID: "plan_1")
        #expect(allocation.installments == [InstallmentShare(seq: 1, amountMinor: 40), InstallmentShare(seq: 2, amountMinor: 80)])
        let paid = allocation.applied(to: installments).sorted { $0.seq < $1.seq }
        #expect(paid.map(\.paidMinor) == [100, 80, 0])
        #expect(paid.map(\.status) == [.paid, .pending, .pending])
        #expect(allocation.reversed(from: allocation.applied(to: installments)) == installments)
    }

    @Test func paymentsSkipPlansThatAreNotActive() throws {
        let pending = try plan(total: 300, balance: 300, count: 3, status: .pendingApproval)
        let owed = Balance(principalMinor: 300, interestMinor: 0, feesMinor: 0, ledger: LedgerTotals())
        let allocation = PaymentAllocator.allocate(amount: 100, balance: owed, plan: pending)
        #expect(allocation.planID == nil && allocation.installments.isEmpty)
        #expect(allocation.applied(to: pending) == pending)
    }

    @Test func fullPlanPaidOffMakesTheCasePaidAndReversalRestoresIt() throws {
        let start = CaseMoney(balance: Balance(principalMinor: 250, interestMinor: 40, feesMinor: 10, ledger: LedgerTotals()),
                              status: .plan, plan: try plan(total: 300, balance: 300, count: 3))
        let first = start.applyingPayment(amountMinor: 100)
        #expect(first.allocation.components == ComponentSplit(feesMinor: 10, interestMinor: 40, principalMinor: 50))
        #expect(first.money.plan?.nextDueDate?.description == "2027-01-15")
        let last = first.money.applyingPayment(amountMinor: 200)
        #expect(last.allocation.installments == [InstallmentShare(seq: 2, amountMinor: 100), InstallmentShare(seq: 3, amountMinor: 100)])
        #expect(last.money.balance.balanceMinor == 0)
        #expect(last.money.status == .paid && last.money.statusBefore == .plan)
        #expect(last.money.plan?.status == .completed)
        #expect(last.money.plan?.nextDueDate == nil)

        let undone = last.money.reversingPayment(first.allocation)
        #expect(undone.status == .plan && undone.statusBefore == nil)
        #expect(undone.plan?.status == .active)
        #expect(undone.plan?.installments.map(\.status) == [.pending, .paid, .paid])
        #expect(undone.balance.balanceMinor == 100)
        #expect(undone.reversingPayment(last.allocation) == start)
    }

    @Test func completedSettlementPlanWaivesTheRestAndClosesAsSettled() throws {
        let start = CaseMoney(balance: Balance(principalMinor: 900, interestMinor: 100, feesMinor: 0, ledger: LedgerTotals()),
                              status: .plan, plan: try plan(total: 800, balance: 1_000, count: 2))
        let first = start.applyingPayment(amountMinor: 400)
        #expect(first.money.status == .plan)
        let second = first.money.applyingPayment(amountMinor: 400)
        let settled = second.money
        #expect(settled.plan?.status == .completed)
        #expect(settled.plan?.settlementWaiver == ComponentSplit(principalMinor: 200))
        #expect(settled.balance.balanceMinor == 0)
        #expect(settled.balance.waivedMinor == 200)
        #expect(settled.status == .closed && settled.closeReason == .settled && settled.statusBefore == .plan)

        let reopened = settled.reversingPayment(second.allocation)
        #expect(reopened == first.money)
        #expect(reopened.reversingPayment(first.allocation) == start)
        // Reversing the older payment first reopens the plan just the same.
        let other = settled.reversingPayment(first.allocation)
        #expect(other.plan?.status == .active && other.plan?.settlementWaiver == nil)
        #expect(other.status == .plan && other.closeReason == nil)
        #expect(other.balance.balanceMinor == 600)
    }

    /// Contract §5: a reversal on a case closed as `settled` returns it to its earlier status and
    /// takes the settlement waiver back, also when the payment reversed was made before the plan.
    @Test func reversingAPaymentMadeBeforeASettlementPlanTakesTheWaiverBack() throws {
        let owed = CaseMoney(balance: Balance(principalMinor: 10_000, interestMinor: 0, feesMinor: 0, ledger: LedgerTotals()),
                             status: .contacted)
        let early = owed.applyingPayment(amountMinor: 1_000)
        #expect(early.allocation.planID == nil)
        var withPlan = early.money
        withPlan.status = .plan
        withPlan.plan = try plan(total: 8_000, balance: 9_000, count: 2)
        let settled = withPlan.applyingPayment(amountMinor: 8_000).money
        #expect(settled.status == .closed && settled.closeReason == .settled && settled.balance.waivedMinor == 1_000)

        let reversed = settled.reversingPayment(early.allocation)
        #expect(reversed.status == .plan && reversed.closeReason == nil && reversed.statusBefore == nil)
        #expect(reversed.balance.waivedMinor == 0 && reversed.balance.paidMinor == 8_000 && reversed.balance.balanceMinor == 2_000)
        // Its instalments are all still paid: it stays completed, without its waiver, and does not settle again.
        #expect(reversed.plan?.status == .completed && reversed.plan?.settlementWaiver == nil)
    }

    @Test func aCaseClosedAsSettledByHandReopensWhenAPaymentIsReversed() {
        let owed = CaseMoney(balance: Balance(principalMinor: 10_000, interestMinor: 0, feesMinor: 0, ledger: LedgerTotals()),
                             status: .contacted)
        let payment = owed.applyingPayment(amountMinor: 500)
        var closed = payment.money
        closed.statusBefore = closed.status
        closed.status = .closed
        closed.closeReason = .settled
        let reversed = closed.reversingPayment(payment.allocation)
        #expect(reversed.status == .contacted && reversed.closeReason == nil && reversed.balance.balanceMinor == 10_000)
        // Another close stays: only a settlement rests on the money.
        closed.closeReason = .recalled
        #expect(closed.reversingPayment(payment.allocation).status == .closed)
    }

    @Test func waiverToZeroCompletesThePlanAndPaysTheCase() throws {
        let start = CaseMoney(balance: Balance(principalMinor: 100, interestMinor: 0, feesMinor: 20, ledger: LedgerTotals()),
                              status: .plan, plan: try plan(total: 120, balance: 120, count: 2))
        let paid = start.applyingPayment(amountMinor: 60).money
        let waived = try #require(paid.applyingAdjustment(.settlementDiscount, amountMinor: 60))
        #expect(waived.waiver == ComponentSplit(principalMinor: 60))
        #expect(waived.money.status == .paid && waived.money.plan?.status == .completed)
        #expect(paid.applyingAdjustment(.feeWaiver, amountMinor: 61) == nil)
        #expect(waived.money.removingWaiver(waived.waiver) == paid)
    }

    @Test func updatingACaseCopiesTheMoneyFields() throws {
        let owed = Balance(principalMinor: 100, interestMinor: 0, feesMinor: 0, ledger: LedgerTotals())
        let debtCase = DebtCase(id: "case_1", debtorID: "debtor_1", creditor: "Bank", externalRef: "X-1", currency: "CNY",
                                balance: owed, delinquentSince: try day("2026-01-01"), jurisdiction: "CN", assignedTo: nil,
                                team: nil, priority: .normal, tags: [], status: .contacted, statusBefore: nil, closeReason: nil,
                                segment: .wait_and_see, segmentOverride: nil, version: 1,
                                createdAt: Instant(millisecondsSinceEpoch: 0), updatedAt: Instant(millisecondsSinceEpoch: 0))
        let money = CaseMoney(case: debtCase, plan: nil).applyingPayment(amountMinor: 100).money
        let updated = debtCase.updating(with: money)
        #expect(updated.status == .paid && updated.statusBefore == .contacted)
        #expect(updated.balance.balanceMinor == 0 && updated.balance.ledger.paidPrincipal == 100)
    }
}
