import ParleyCore
import Testing

private func day(_ text: String) throws -> CalendarDate { try #require(CalendarDate(iso: text)) }

private func balance(principal: Int64, interest: Int64 = 0, fees: Int64 = 0, ledger: LedgerTotals = LedgerTotals()) -> Balance {
    Balance(principalMinor: principal, interestMinor: interest, feesMinor: fees, ledger: ledger)
}

@Suite struct MoneyApprovalTests {
    @Test func settlementPlanAtExactlyTheLimitIsActiveAndJustOverWaits() {
        func decide(_ total: Int64, _ balance: Int64, _ role: Role, percent: Int = 10) -> PlanStatus {
            PlanApproval.decide(totalMinor: total, balanceMinor: balance, role: role, maxAgentDiscountPercent: percent)
        }
        #expect(decide(100_000, 100_000, .agent) == .active)
        #expect(decide(90_000, 100_000, .agent) == .active)
        #expect(decide(89_999, 100_000, .agent) == .pendingApproval)
        // 10 % of 100 001 is 10 000.1: a discount of 10 000 is within, 10 001 is not.
        #expect(decide(90_001, 100_001, .agent) == .active)
        #expect(decide(90_000, 100_001, .agent) == .pendingApproval)
        #expect(decide(50_000, 100_000, .supervisor) == .active)
        #expect(decide(1, 100_000, .admin) == .active)
        #expect(decide(99_999, 100_000, .agent, percent: 0) == .pendingApproval)
        #expect(decide(1, 1_000_000_000_000_000, .agent, percent: 100) == .active)
    }

    @Test func proposedPlanCarriesTheDecisionAndSchedule() throws {
        let terms = try PlanRequest(installmentCount: 3, frequency: "monthly", firstDueDate: "2026-12-15", totalMinor: 80_000)
            .validate(balanceMinor: 100_000, today: try day("2026-12-01"))
        let agent = PaymentPlan.propose(id: "plan_1", terms: terms, role: .agent, policy: .defaults)
        #expect(agent.status == .pendingApproval)
        #expect(agent.isSettlement)
        #expect(agent.nextDueDate?.description == "2026-12-15")
        #expect(agent.installments.map(\.amountMinor) == [26_667, 26_667, 26_666])
        #expect(PaymentPlan.propose(id: "plan_2", terms: terms, role: .supervisor, policy: .defaults).status == .active)
        #expect(PaymentPlan.propose(id: "plan_3", terms: terms, role: .agent, policy: MoneyPolicy(maxAgentDiscountPercent: 20)).status
            == .active)

        let approved = try agent.approved()
        #expect(approved.status == .active)
        #expect(throws: DomainError.self) { try approved.approved() }
        #expect(try agent.rejected().status == .rejected)
        #expect(try approved.cancelled().nextDueDate == nil)
        #expect(throws: DomainError.self) { try PaymentPlan.ensureSlotFree(existing: [agent]) }
        try PaymentPlan.ensureSlotFree(existing: [try agent.rejected()])
    }

    @Test func adjustmentsWithinPolicyApplyAndBeyondWait() {
        var ledger = LedgerTotals()
        ledger.paidFees = 300
        let owed = balance(principal: 90_000, interest: 9_000, fees: 1_300, ledger: ledger)  // balance 100 000, fees 1 000
        func decide(_ kind: AdjustmentKind, _ amount: Int64, _ role: Role = .agent) -> AdjustmentStatus {
            AdjustmentApproval.decide(kind: kind, amountMinor: amount, balance: owed, role: role, maxAgentDiscountPercent: 10)
        }
        #expect(decide(.feeWaiver, 1_000) == .applied)
        #expect(decide(.feeWaiver, 1_001) == .pendingApproval)
        #expect(decide(.interestWaiver, 10_000) == .applied)
        #expect(decide(.interestWaiver, 10_001) == .pendingApproval)
        #expect(decide(.settlementDiscount, 10_000) == .applied)
        #expect(decide(.settlementDiscount, 10_001) == .pendingApproval)
        #expect(decide(.settlementDiscount, 50_000, .supervisor) == .applied)
        #expect(decide(.feeWaiver, 5_000, .admin) == .applied)
    }

    @Test func waiversTakeTheirComponentFirstThenSpillInPaymentOrder() throws {
        let owed = balance(principal: 1_000, interest: 200, fees: 50)
        #expect(AdjustmentKind.feeWaiver.waiver(of: 30, against: owed) == ComponentSplit(feesMinor: 30))
        #expect(AdjustmentKind.feeWaiver.waiver(of: 100, against: owed) == ComponentSplit(feesMinor: 50, interestMinor: 50))
        #expect(AdjustmentKind.interestWaiver.waiver(of: 260, against: owed)
            == ComponentSplit(feesMinor: 50, interestMinor: 200, principalMinor: 10))
        #expect(AdjustmentKind.interestWaiver.waiver(of: 150, against: owed) == ComponentSplit(interestMinor: 150))
        #expect(AdjustmentKind.settlementDiscount.waiver(of: 300, against: owed)
            == ComponentSplit(feesMinor: 50, interestMinor: 200, principalMinor: 50))
        #expect(AdjustmentKind.settlementDiscount.waiver(of: 1_251, against: owed) == nil)
        #expect(AdjustmentKind.feeWaiver.waiver(of: 0, against: owed) == nil)

        #expect(try AdjustmentRequest(kind: "fee_waiver", amountMinor: 10, reason: "goodwill").validate(balanceMinor: 100) == .feeWaiver)
        let failure = try #require(throws: ValidationFailure.self) {
            try AdjustmentRequest(kind: "gift", amountMinor: 101, reason: "  ").validate(balanceMinor: 100)
        }
        #expect(failure.errors.map(\.field) == ["kind", "amount_minor", "reason"])
    }

    @Test func paymentChecksCurrencyAndAmount() {
        func fields(_ amount: Int64, _ currency: String, balance: Int64 = 100) -> [String] {
            var failure = ValidationFailure()
            PaymentValidation.check(amountMinor: amount, currency: currency, caseCurrency: "CNY", balanceMinor: balance, into: &failure)
            return failure.errors.map(\.field)
        }
        #expect(fields(100, "CNY").isEmpty)
        #expect(fields(101, "CNY") == ["amount_minor"])
        #expect(fields(0, "CNY") == ["amount_minor"])
        #expect(fields(-5, "USD") == ["currency", "amount_minor"])
        #expect(fields(1, "CNY", balance: 0) == ["amount_minor"])
    }
}
