import ParleyCore
import ParleySQLite
import ParleyStore
import Testing

@Suite struct MoneyStoreTests {
    typealias F = StoreFixture

    private static func payment(_ id: PaymentID, case caseID: CaseID = "case_1", amount: Int64 = 1_000, paidAt: Int64 = 0,
                                planID: PlanID? = nil) -> Payment {
        Payment(id: id, caseID: caseID, amountMinor: amount, currency: "GBP", paidAt: F.at(paidAt), method: "card", reference: nil,
                status: .applied,
                allocation: Allocation(components: ComponentSplit(principalMinor: amount), planID: planID,
                                       installments: planID == nil ? [] : [InstallmentShare(seq: 1, amountMinor: amount)]),
                createdBy: "usr_a", createdAt: F.at(paidAt))
    }

    private static func plan(_ id: PlanID, case caseID: CaseID = "case_1", status: PlanStatus) -> CasePlan {
        let due = CalendarDate(year: 2027, month: 3, day: 1)!
        return CasePlan(plan: PaymentPlan(id: id, status: status, totalMinor: 3_000, frequency: .monthly, balanceAtProposalMinor: 10_000,
                                          installments: [Installment(seq: 1, dueDate: due, amountMinor: 1_500),
                                                         Installment(seq: 2, dueDate: due.adding(months: 1, anchorDay: 1), amountMinor: 1_500)]),
                        caseID: caseID, createdBy: "usr_a", createdAt: F.at(0), updatedAt: F.at(0))
    }

    private static func promise(_ id: PromiseID, case caseID: CaseID = "case_1", status: PaymentPromise.Status = .pending) -> CasePromise {
        CasePromise(promise: PaymentPromise(id: id, amountMinor: 500, dueDate: CalendarDate(year: 2027, month: 2, day: 1)!,
                                            createdAt: F.at(0), status: status), caseID: caseID, createdBy: "usr_a")
    }

    private func apply(_ f: StoreFixture, _ build: (inout MoneyChange) -> Void) throws {
        var change = MoneyChange()
        build(&change)
        try f.money.apply(change, actor: F.actor, at: F.at(0))
    }

    /// The case after a payment of `paid` minor units of principal, one version on.
    private static func paid(_ c: DebtCase, _ paid: Int64) -> DebtCase {
        var next = c
        var ledger = c.balance.ledger
        ledger.paidPrincipal += paid
        next.balance = Balance(principalMinor: c.balance.principalMinor, interestMinor: c.balance.interestMinor,
                               feesMinor: c.balance.feesMinor, ledger: ledger)
        next.version += 1
        return next
    }

    @Test func paymentsAreListedInIdOrderPerCaseAndUpdatesKeepTheAmount() throws {
        try F.with { f in
            try f.insertDebtorWithCase()
            try f.insertCase(F.makeCase("case_2", debtor: "dbt_1"))
            for (id, paidAt) in [("pay_c", 100), ("pay_a", 300), ("pay_b", 200)] {
                try apply(f) { $0.payment = Self.payment(PaymentID(id), paidAt: Int64(paidAt)) }
            }
            try apply(f) { $0.payment = Self.payment("pay_0", case: "case_2") }
            #expect(try f.money.payments(caseID: "case_1").map(\.id) == ["pay_a", "pay_b", "pay_c"])
            #expect(try f.money.payments(caseID: "case_2").map(\.id) == ["pay_0"])

            // Saving a payment again changes only its reversal fields.
            var reversed = Self.payment("pay_b", amount: 99_999, paidAt: 200)
            reversed.status = .reversed
            reversed.reversedAt = F.at(900)
            reversed.reversedBy = "usr_b"
            reversed.reversalReason = "chargeback"
            try apply(f) { $0.payment = reversed }
            let stored = try #require(try f.money.payment(id: "pay_b"))
            #expect(stored.amountMinor == 1_000)
            #expect(stored.status == .reversed && stored.reversedAt == F.at(900) && stored.reversedBy == "usr_b")
            #expect(stored.reversalReason == "chargeback")
            #expect(try f.count("SELECT count(*) FROM payment") == 4)
        }
    }

    @Test func aPaymentRoundTripsWithItsAllocation() throws {
        try F.with { f in
            try f.insertDebtorWithCase()
            try apply(f) { $0.plans = [Self.plan("pln_1", status: .active)] }
            let p = Self.payment("pay_1", amount: 1_500, paidAt: 42, planID: "pln_1")
            try apply(f) { $0.payment = p }
            #expect(try f.money.payment(id: "pay_1") == p)
            #expect(try f.money.payment(id: "pay_2") == nil)
        }
    }

    @Test func aCaseHasAtMostOneLivePlan() throws {
        try F.with { f in
            try f.insertDebtorWithCase()
            try f.insertCase(F.makeCase("case_2", debtor: "dbt_1"))
            try apply(f) { $0.plans = [Self.plan("pln_1", status: .pendingApproval)] }
            #expect(throws: DomainError.conflict("the case already has a live plan")) {
                try apply(f) { $0.plans = [Self.plan("pln_2", status: .active)] }
            }
            #expect(throws: DomainError.conflict("the case already has a live plan")) {
                try apply(f) { $0.plans = [Self.plan("pln_2", status: .pendingApproval)] }
            }
            // Other cases, and finished plans, are not limited.
            try apply(f) { $0.plans = [Self.plan("pln_3", case: "case_2", status: .active)] }
            try apply(f) { $0.plans = [Self.plan("pln_4", status: .broken), Self.plan("pln_5", status: .cancelled)] }
            // Once the live plan ends, another may start.
            var ended = Self.plan("pln_1", status: .rejected)
            ended.decidedBy = "usr_s"
            try apply(f) { $0.plans = [ended, Self.plan("pln_6", status: .active)] }
            #expect(try f.money.plans(caseID: "case_1").map(\.plan.id) == ["pln_1", "pln_4", "pln_5", "pln_6"])
            #expect(try f.money.plan(id: "pln_1")?.plan.status == .rejected)
            #expect(try f.money.plan(id: "pln_1")?.decidedBy == "usr_s")
            #expect(try f.money.activePlans().map(\.plan.id) == ["pln_3", "pln_6"])
        }
    }

    @Test func theCaseIsSavedOnlyOverItsVersionAndTheWholeChangeRollsBack() throws {
        try F.with { f in
            let c = try f.insertDebtorWithCase()
            let auditBefore = try f.count("SELECT count(*) FROM audit_log")
            let event = TimelineEvent(at: F.at(0), kind: .payment, actor: "usr_a", summary: "paid", ref: "pay_1" as String?)
            try apply(f) {
                $0.debtCase = Self.paid(c, 1_000)
                $0.expectedVersion = 1
                $0.payment = Self.payment("pay_1")
                $0.audit = [AuditRecord(action: .paymentRecorded, entity: "payment", entityID: "pay_1")]
                $0.events = [event]
            }
            #expect(try f.cases.debtCase(id: "case_1")?.balance.ledger.paidPrincipal == 1_000)
            #expect(try f.cases.debtCase(id: "case_1")?.version == 2)
            #expect(try f.count("SELECT count(*) FROM case_event WHERE case_id = 'case_1' AND kind = 'payment'") == 1)

            // A change computed from version 1 again is refused, with its payment, audit and event.
            #expect(throws: DomainError.preconditionFailed("case case_1 was changed meanwhile; try again")) {
                try apply(f) {
                    $0.debtCase = Self.paid(c, 2_000)
                    $0.expectedVersion = 1
                    $0.payment = Self.payment("pay_2", amount: 2_000)
                    $0.audit = [AuditRecord(action: .paymentRecorded, entity: "payment", entityID: "pay_2")]
                    $0.events = [event]
                }
            }
            #expect(try f.money.payment(id: "pay_2") == nil)
            #expect(try f.cases.debtCase(id: "case_1")?.balance.ledger.paidPrincipal == 1_000)
            #expect(try f.count("SELECT count(*) FROM audit_log") == auditBefore + 1)
            #expect(try f.count("SELECT count(*) FROM case_event") == 1)
        }
    }

    @Test func theLedgerCannotExceedWhatWasPlaced() throws {
        try F.with { f in
            let c = try f.insertDebtorWithCase()   // 10 000 placed
            do {
                try apply(f) {
                    $0.debtCase = Self.paid(c, 10_001)
                    $0.expectedVersion = 1
                    $0.payment = Self.payment("pay_1", amount: 10_001)
                }
                Issue.record("an overpayment was stored")
            } catch let error as SQLiteError {
                #expect(error.isCheckViolation)
                #expect(error.message.contains("case_ledger_within_placed"), "\(error)")
            }
            #expect(try f.money.payments(caseID: "case_1").isEmpty)
            try apply(f) {
                $0.debtCase = Self.paid(c, 10_000)
                $0.expectedVersion = 1
                $0.payment = Self.payment("pay_1", amount: 10_000)
            }
            #expect(try f.cases.debtCase(id: "case_1")?.balance.balanceMinor == 0)
            // Amounts are positive.
            #expect(throws: SQLiteError.self) { try apply(f) { $0.payment = Self.payment("pay_0", amount: 0) } }
        }
    }

    @Test func pendingPromisesAndAdjustmentsAreListedInIdOrder() throws {
        try F.with { f in
            try f.insertDebtorWithCase()
            try f.insertCase(F.makeCase("case_2", debtor: "dbt_1"))
            try apply(f) { $0.promises = [Self.promise("prm_3"), Self.promise("prm_1", status: .kept)] }
            try apply(f) { $0.promises = [Self.promise("prm_2", case: "case_2")] }
            #expect(try f.money.pendingPromises().map(\.promise.id) == ["prm_2", "prm_3"])
            var broken = Self.promise("prm_3")
            broken.promise.status = .broken
            broken.resolvedAt = F.at(77)
            try apply(f) { $0.promises = [broken] }
            #expect(try f.money.pendingPromises().map(\.promise.id) == ["prm_2"])
            #expect(try f.money.promises(caseID: "case_1") == [Self.promise("prm_1", status: .kept), broken])

            let waiver = Adjustment(id: "adj_2", caseID: "case_1", kind: .feeWaiver, amountMinor: 300, reason: "goodwill",
                                    status: .pendingApproval, waiver: nil, requestedBy: "usr_a", createdAt: F.at(0))
            try apply(f) {
                $0.adjustments = [waiver, Adjustment(id: "adj_1", caseID: "case_1", kind: .interestWaiver, amountMinor: 100, reason: "r",
                                                     status: .rejected, waiver: nil, requestedBy: "usr_a", createdAt: F.at(0))]
            }
            var approved = waiver
            approved.status = .applied
            approved.waiver = ComponentSplit(feesMinor: 300)
            approved.decidedBy = "usr_s"
            approved.decidedAt = F.at(50)
            try apply(f) { $0.adjustments = [approved] }
            #expect(try f.money.adjustments(caseID: "case_1").map(\.id) == ["adj_1", "adj_2"])
            #expect(try f.money.adjustment(id: "adj_2") == approved)
        }
    }
}
