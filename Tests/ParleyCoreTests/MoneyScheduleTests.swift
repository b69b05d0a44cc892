import ParleyCore
import Testing

private func day(_ text: String) throws -> CalendarDate { try #require(CalendarDate(iso: text)) }

@Suite struct MoneyScheduleTests {
    @Test func remainderGoesOneUnitEachToTheFirstInstallments() throws {
        let first = try day("2026-12-15")
        #expect(try InstallmentSchedule.make(total: 100, count: 3, frequency: .monthly, firstDue: first).map(\.amountMinor) == [34, 33, 33])
        #expect(try InstallmentSchedule.make(total: 10, count: 4, frequency: .monthly, firstDue: first).map(\.amountMinor) == [3, 3, 2, 2])
        #expect(try InstallmentSchedule.make(total: 600, count: 6, frequency: .monthly, firstDue: first).map(\.amountMinor)
            == Array(repeating: 100, count: 6))
        #expect(try InstallmentSchedule.make(total: 5, count: 5, frequency: .weekly, firstDue: first).map(\.amountMinor) == [1, 1, 1, 1, 1])
    }

    @Test func monthlyKeepsTheAnchorDayAcrossALeapYear() throws {
        let schedule = try InstallmentSchedule.make(total: 600, count: 6, frequency: .monthly, firstDue: try day("2027-11-30"))
        #expect(schedule.map(\.dueDate.description)
            == ["2027-11-30", "2027-12-30", "2028-01-30", "2028-02-29", "2028-03-30", "2028-04-30"])
        let end = try InstallmentSchedule.make(total: 400, count: 4, frequency: .monthly, firstDue: try day("2027-12-31"))
        #expect(end.map(\.dueDate.description) == ["2027-12-31", "2028-01-31", "2028-02-29", "2028-03-31"])
        let common = try InstallmentSchedule.make(total: 300, count: 3, frequency: .monthly, firstDue: try day("2027-01-31"))
        #expect(common.map(\.dueDate.description) == ["2027-01-31", "2027-02-28", "2027-03-31"])
        #expect(end.map(\.seq) == [1, 2, 3, 4])
    }

    @Test func weeklyAndBiweeklyStepSevenAndFourteenDays() throws {
        let first = try day("2026-12-15")
        #expect(try InstallmentSchedule.make(total: 4, count: 4, frequency: .weekly, firstDue: first).map(\.dueDate.description)
            == ["2026-12-15", "2026-12-22", "2026-12-29", "2027-01-05"])
        #expect(try InstallmentSchedule.make(total: 3, count: 3, frequency: .biweekly, firstDue: first).map(\.dueDate.description)
            == ["2026-12-15", "2026-12-29", "2027-01-12"])
    }

    @Test func downPaymentIsAnExtraFirstInstallmentAndTheRestStartsOnePeriodLater() throws {
        let schedule = try InstallmentSchedule.make(total: 1_000, count: 3, frequency: .monthly, firstDue: try day("2027-01-31"),
                                                    downPayment: 101)
        #expect(schedule.map(\.seq) == [1, 2, 3, 4])
        #expect(schedule.map(\.amountMinor) == [101, 300, 300, 299])
        #expect(schedule.map(\.dueDate.description) == ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"])
        let weekly = try InstallmentSchedule.make(total: 50, count: 2, frequency: .weekly, firstDue: try day("2026-12-15"),
                                                  downPayment: 10)
        #expect(weekly.map(\.dueDate.description) == ["2026-12-15", "2026-12-22", "2026-12-29"])
        #expect(weekly.map(\.amountMinor) == [10, 20, 20])
    }

    @Test func scheduleRefusesImpossibleTerms() throws {
        let first = try day("2026-12-15")
        func fields(total: Int64, count: Int, down: Int64 = 0) -> [String] {
            do {
                _ = try InstallmentSchedule.make(total: total, count: count, frequency: .monthly, firstDue: first, downPayment: down)
                return []
            } catch let failure as ValidationFailure {
                return failure.errors.map(\.field)
            } catch {
                return ["unexpected"]
            }
        }
        #expect(fields(total: 100, count: 0) == ["installment_count"])
        #expect(fields(total: 100, count: 61) == ["installment_count"])
        #expect(fields(total: 100, count: 60).isEmpty)
        #expect(fields(total: 0, count: 1) == ["total_minor"])
        #expect(fields(total: 100, count: 1, down: 100) == ["down_payment_minor"])
        #expect(fields(total: 100, count: 1, down: -1) == ["down_payment_minor"])
        #expect(fields(total: 5, count: 6) == ["installment_count"])
    }

    @Test func planRequestDefaultsToTheBalanceAndNamesEveryBadField() throws {
        let today = try day("2026-12-01")
        let terms = try PlanRequest(installmentCount: 6, frequency: "monthly", firstDueDate: "2026-12-01").validate(
            balanceMinor: 1_200_000, today: today)
        #expect(terms.totalMinor == 1_200_000)
        #expect(!terms.isSettlement)
        #expect(terms.schedule.count == 6)
        #expect(terms.schedule.reduce(0) { $0 + $1.amountMinor } == 1_200_000)

        let bad = PlanRequest(installmentCount: 61, frequency: "daily", firstDueDate: "2026-11-30", downPaymentMinor: -5,
                              totalMinor: 1_200_001)
        let failure = try #require(throws: ValidationFailure.self) { try bad.validate(balanceMinor: 1_200_000, today: today) }
        #expect(Set(failure.errors.map(\.field))
            == ["installment_count", "frequency", "first_due_date", "down_payment_minor", "total_minor"])
        #expect(failure.errors.filter { $0.field == "total_minor" }.count == 1)

        let malformed = PlanRequest(installmentCount: Int64.max, frequency: "monthly", firstDueDate: "2026-02-30")
        let second = try #require(throws: ValidationFailure.self) { try malformed.validate(balanceMinor: 100, today: today) }
        #expect(Set(second.errors.map(\.field)) == ["installment_count", "first_due_date"])

        let settlement = try PlanRequest(installmentCount: 2, frequency: "weekly", firstDueDate: "2026-12-03", totalMinor: 900)
            .validate(balanceMinor: 1_000, today: today)
        #expect(settlement.isSettlement)
        #expect(throws: ValidationFailure.self) {
            try PlanRequest(installmentCount: 1, frequency: "weekly", firstDueDate: "2026-12-03").validate(balanceMinor: 0, today: today)
        }
    }
}
