/// Decides whether a pending promise was kept or broken.
///
/// Payments count when paid (by `paid_at`) at or after the promise was made and on or before the
/// debtor-local day `due_date + promise_grace_days`. The promise is `kept` as soon as they reach its
/// amount — even before the due date — and `broken` once that last day has passed without it.
/// Reversed payments must not be passed in.
public enum PromiseMonitor {
    public static func evaluate(promise: PaymentPromise, paymentsSince payments: [PromisePayment], asOf today: CalendarDate,
                                graceDays: Int) -> PaymentPromise.Status {
        guard promise.status == .pending else { return promise.status }
        let lastDay = promise.lastDay(graceDays: graceDays)
        let counted = payments
            .filter { $0.paidAt >= promise.createdAt && $0.paidOn <= lastDay }
            .reduce(Int64(0)) { $0 + $1.amountMinor }
        if counted >= promise.amountMinor { return .kept }
        return today > lastDay ? .broken : .pending
    }
}
