/// The body of a plan proposal as the API read it, not yet checked.
public struct PlanRequest: Sendable, Equatable {
    public var installmentCount: Int64
    public var frequency: String
    public var firstDueDate: String
    public var downPaymentMinor: Int64
    /// Nil means the whole balance.
    public var totalMinor: Int64?

    public init(installmentCount: Int64, frequency: String, firstDueDate: String, downPaymentMinor: Int64 = 0,
                totalMinor: Int64? = nil) {
        self.installmentCount = installmentCount
        self.frequency = frequency
        self.firstDueDate = firstDueDate
        self.downPaymentMinor = downPaymentMinor
        self.totalMinor = totalMinor
    }

    /// Checks every field against the case balance and the debtor-local `today`, reporting all
    /// field errors at once, and returns the terms with their schedule.
    public func validate(balanceMinor: Int64, today: CalendarDate) throws -> PlanTerms {
        var failure = ValidationFailure()
        let total = totalMinor ?? balanceMinor
        if balanceMinor <= 0 { failure.add("total_minor", "the case has no balance to plan") }
        else if total > balanceMinor { failure.add("total_minor", "must not exceed the balance of \(balanceMinor)") }

        let frequency = PlanFrequency(rawValue: frequency)
        if frequency == nil { failure.add("frequency", "must be one of weekly, biweekly, monthly") }
        let firstDue = CalendarDate(iso: firstDueDate)
        if let firstDue {
            if firstDue < today { failure.add("first_due_date", "must not be in the past") }
        } else {
            failure.add("first_due_date", "must be a date YYYY-MM-DD")
        }
        // Clamp before narrowing so a huge count is an error, never a trap.
        let count = Int(max(-1, min(installmentCount, Int64(InstallmentSchedule.countRange.upperBound + 1))))
        var scheduleFailure = InstallmentSchedule.check(total: total, count: count, firstDue: firstDue ?? today,
                                                        downPayment: downPaymentMinor)
        if failure.errors.contains(where: { $0.field == "total_minor" }) {
            // One message per field is enough; the balance check says more than "must be > 0".
            scheduleFailure = scheduleFailure.without(field: "total_minor")
        }
        failure.merge(scheduleFailure)
        guard failure.isEmpty, let frequency, let firstDue else { throw failure }

        let schedule = try InstallmentSchedule.make(total: total, count: count, frequency: frequency, firstDue: firstDue,
                                                    downPayment: downPaymentMinor)
        return PlanTerms(totalMinor: total, balanceMinor: balanceMinor, frequency: frequency, schedule: schedule)
    }
}

/// Plan terms that passed validation, with their instalments.
public struct PlanTerms: Sendable, Equatable {
    public let totalMinor: Int64
    /// The case balance the terms were agreed against.
    public let balanceMinor: Int64
    public let frequency: PlanFrequency
    public let schedule: [ScheduledInstallment]

    public init(totalMinor: Int64, balanceMinor: Int64, frequency: PlanFrequency, schedule: [ScheduledInstallment]) {
        self.totalMinor = totalMinor
        self.balanceMinor = balanceMinor
        self.frequency = frequency
        self.schedule = schedule
    }

    /// A total below the balance: the rest is waived when the plan completes.
    public var isSettlement: Bool { totalMinor < balanceMinor }
}

extension ValidationFailure {
    /// The same failure without the errors of `field`.
    func without(field: String) -> ValidationFailure {
        var kept = ValidationFailure()
        for error in errors where error.field != field { kept.add(error.field, error.message) }
        return kept
    }
}
