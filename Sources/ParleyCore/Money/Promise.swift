/// A debtor's promise to pay an amount by a date.
public struct PaymentPromise: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable { case pending, kept, broken }

    public let id: PromiseID
    public let amountMinor: Int64
    /// Debtor-local date.
    public let dueDate: CalendarDate
    public let createdAt: Instant
    public var status: Status

    public init(id: PromiseID, amountMinor: Int64, dueDate: CalendarDate, createdAt: Instant, status: Status = .pending) {
        self.id = id
        self.amountMinor = amountMinor
        self.dueDate = dueDate
        self.createdAt = createdAt
        self.status = status
    }

    /// The last debtor-local day on which a payment still counts towards the promise.
    public func lastDay(graceDays: Int) -> CalendarDate { dueDate.adding(days: graceDays) }

    /// Field checks for a new promise: a positive amount within the balance, due today or later.
    public static func validate(amountMinor: Int64, dueDate: String, balanceMinor: Int64, today: CalendarDate) throws -> CalendarDate {
        var failure = ValidationFailure()
        if amountMinor <= 0 { failure.add("amount_minor", "must be greater than 0") }
        else if amountMinor > balanceMinor { failure.add("amount_minor", "must not exceed the balance of \(balanceMinor)") }
        let date = CalendarDate(iso: dueDate)
        if let date {
            if date < today { failure.add("due_date", "must not be in the past") }
        } else {
            failure.add("due_date", "must be a date YYYY-MM-DD")
        }
        guard failure.isEmpty, let date else { throw failure }
        return date
    }
}

/// A payment as the promise monitor sees it: when it was paid, as an instant and as the debtor's
/// local date (the caller converts with `LocalTime.localDate`), and how much.
public struct PromisePayment: Sendable, Equatable {
    public let paidAt: Instant
    public let paidOn: CalendarDate
    public let amountMinor: Int64

    public init(paidAt: Instant, paidOn: CalendarDate, amountMinor: Int64) {
        self.paidAt = paidAt
        self.paidOn = paidOn
        self.amountMinor = amountMinor
    }
}
