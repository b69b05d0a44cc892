import ParleyCore
import Testing

private func day(_ text: String) throws -> CalendarDate { try #require(CalendarDate(iso: text)) }

private func activePlan(total: Int64 = 300, count: Int = 3) throws -> PaymentPlan {
    let schedule = try InstallmentSchedule.make(total: total, count: count, frequency: .monthly, firstDue: try day("2026-12-15"))
    return PaymentPlan(id: "plan_1", status: .active, totalMinor: total, frequency: .monthly, balanceAtProposalMinor: total,
                       installments: schedule.map(Installment.init))
}

@Suite struct MoneyMonitorTests {
    @Test func unpaidInstallmentBreaksThePlanAfterTheLastGraceDay() throws {
        let plan = try activePlan()
        #expect(PlanMonitor.evaluate(plan: plan, asOf: try day("2026-12-20"), graceDays: 5).change == .none)
        let broken = PlanMonitor.evaluate(plan: plan, asOf: try day("2026-12-21"), graceDays: 5)
        #expect(broken.change == .broken)
        #expect(broken.missedSeqs == [1])
        #expect(broken.plan.status == .broken)
        #expect(broken.plan.installments.map(\.status) == [.missed, .pending, .pending])
        #expect(broken.plan.nextDueDate == nil)
        let late = PlanMonitor.evaluate(plan: plan, asOf: try day("2027-02-20"), graceDays: 5)
        #expect(late.missedSeqs == [1, 2])
        #expect(PlanMonitor.evaluate(plan: broken.plan, asOf: try day("2027-06-01"), graceDays: 5).change == .none)
    }

    @Test func partlyPaidInstallmentStillBreaksAndPaidOnesDoNot() throws {
        var plan = try activePlan()
        plan.installments[0].paidMinor = 100
        plan.installments[0].status = .paid
        plan.installments[1].paidMinor = 99
        #expect(PlanMonitor.evaluate(plan: plan, asOf: try day("2027-01-20"), graceDays: 5).change == .none)
        #expect(PlanMonitor.evaluate(plan: plan, asOf: try day("2027-01-21"), graceDays: 5).missedSeqs == [2])
        #expect(PlanMonitor.evaluate(plan: plan, asOf: try day("2027-01-15"), graceDays: 0).change == .none)
        #expect(PlanMonitor.evaluate(plan: plan, asOf: try day("2027-01-16"), graceDays: 0).change == .broken)
    }

    @Test func allPaidCompletesAndOtherStatusesAreLeftAlone() throws {
        var plan = try activePlan()
        for index in plan.installments.indices {
            plan.installments[index].paidMinor = 100
            plan.installments[index].status = .paid
        }
        #expect(PlanMonitor.evaluate(plan: plan, asOf: try day("2030-01-01"), graceDays: 5).change == .completed)
        var pending = try activePlan()
        pending.status = .pendingApproval
        #expect(PlanMonitor.evaluate(plan: pending, asOf: try day("2030-01-01"), graceDays: 5).change == .none)
    }

    @Test func brokenPlanSendsTheCaseBackToContacted() throws {
        let money = CaseMoney(balance: Balance(principalMinor: 300, interestMinor: 0, feesMinor: 0, ledger: LedgerTotals()),
                              status: .plan, plan: try activePlan())
        let result = try #require(money.monitoringPlan(asOf: try day("2026-12-21"), graceDays: 5))
        #expect(result.outcome.change == .broken)
        #expect(result.money.status == .contacted)
        #expect(result.money.plan?.status == .broken)
        var disputed = money
        disputed.status = .disputed
        #expect(disputed.monitoringPlan(asOf: try day("2026-12-21"), graceDays: 5)?.money.status == .disputed)
        #expect(CaseMoney(balance: money.balance, status: .open).monitoringPlan(asOf: try day("2026-12-21"), graceDays: 5) == nil)
    }

    @Test func promiseIsKeptByPaymentsInItsWindowAndBrokenAfter() throws {
        let created = try #require(Instant(rfc3339: "2026-12-01T10:00:00Z"))
        let promise = PaymentPromise(id: "promise_1", amountMinor: 500, dueDate: try day("2026-12-10"), createdAt: created)
        func payment(_ at: String, _ on: String, _ amount: Int64) throws -> PromisePayment {
            PromisePayment(paidAt: try #require(Instant(rfc3339: at)), paidOn: try day(on), amountMinor: amount)
        }
        let before = try payment("2026-12-01T09:00:00Z", "2026-12-01", 500)
        let early = try payment("2026-12-05T09:00:00Z", "2026-12-05", 200)
        let inGrace = try payment("2026-12-12T09:00:00Z", "2026-12-12", 300)
        let tooLate = try payment("2026-12-13T09:00:00Z", "2026-12-13", 300)

        func status(_ payments: [PromisePayment], _ today: String) throws -> PaymentPromise.Status {
            PromiseMonitor.evaluate(promise: promise, paymentsSince: payments, asOf: try day(today), graceDays: 2)
        }
        #expect(try status([early], "2026-12-12") == .pending)
        #expect(try status([early, inGrace], "2026-12-12") == .kept)
        #expect(try status([early, inGrace], "2026-12-30") == .kept)
        #expect(try status([before], "2026-12-13") == .broken)
        #expect(try status([early, tooLate], "2026-12-13") == .broken)
        #expect(try status([try payment("2026-12-02T09:00:00Z", "2026-12-02", 500)], "2026-12-02") == .kept)
        var kept = promise
        kept.status = .kept
        #expect(PromiseMonitor.evaluate(promise: kept, paymentsSince: [], asOf: try day("2027-01-01"), graceDays: 2) == .kept)
    }

    @Test func promiseChecksAmountAndDueDate() throws {
        let today = try day("2026-12-01")
        #expect(try PaymentPromise.validate(amountMinor: 100, dueDate: "2026-12-01", balanceMinor: 100, today: today) == today)
        let failure = try #require(throws: ValidationFailure.self) {
            try PaymentPromise.validate(amountMinor: 101, dueDate: "2026-11-30", balanceMinor: 100, today: today)
        }
        #expect(failure.errors.map(\.field) == ["amount_minor", "due_date"])
    }
}
