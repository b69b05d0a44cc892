/// Splits a plan total into dated instalments.
///
/// Amounts are equal; the remainder in minor units goes one unit each to the first instalments, so
/// the amounts always sum exactly to the total (100 over 3 → 34, 33, 33). A down payment is an
/// extra first instalment on `firstDue`; the rest of the total is then split over `count`
/// instalments starting one period later.
public enum InstallmentSchedule {
    public static let countRange = 1...60
    /// Latest year a first due date may fall in: the last of 61 monthly instalments must still be a
    /// valid date (year ≤ 9999).
    public static let latestFirstDueYear = 9_990

    public static func make(total: Int64, count: Int, frequency: PlanFrequency, firstDue: CalendarDate,
                            downPayment: Int64 = 0) throws -> [ScheduledInstallment] {
        let failure = check(total: total, count: count, firstDue: firstDue, downPayment: downPayment)
        guard failure.isEmpty else { throw failure }

        var schedule: [ScheduledInstallment] = []
        var periodOffset = 0
        if downPayment > 0 {
            schedule.append(ScheduledInstallment(seq: 1, dueDate: firstDue, amountMinor: downPayment))
            periodOffset = 1
        }
        let rest = total - downPayment
        let base = rest / Int64(count)
        let remainder = Int(rest % Int64(count))
        for index in 0..<count {
            schedule.append(ScheduledInstallment(
                seq: schedule.count + 1,
                dueDate: frequency.date(index + periodOffset, after: firstDue),
                amountMinor: base + (index < remainder ? 1 : 0)))
        }
        return schedule
    }

    /// The field errors `make` would throw, named by their wire fields.
    public static func check(total: Int64, count: Int, firstDue: CalendarDate, downPayment: Int64) -> ValidationFailure {
        var failure = ValidationFailure()
        if !countRange.contains(count) { failure.add("installment_count", "must be between 1 and 60") }
        if total <= 0 { failure.add("total_minor", "must be greater than 0") }
        if downPayment < 0 { failure.add("down_payment_minor", "must not be negative") }
        else if total > 0, downPayment >= total { failure.add("down_payment_minor", "must be less than the plan total") }
        else if total > 0, countRange.contains(count), total - downPayment < Int64(count) {
            // Every instalment must ask for at least one minor unit.
            failure.add("installment_count", "is more than the minor units left to split after the down payment")
        }
        if firstDue.year > latestFirstDueYear { failure.add("first_due_date", "is too far in the future") }
        return failure
    }
}
