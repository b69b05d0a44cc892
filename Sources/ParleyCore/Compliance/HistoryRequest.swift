/// What the store must fetch to build a `ComplianceHistory` for one evaluation, so that each
/// series is one indexed query: `… AND occurred_at BETWEEN since AND until ORDER BY occurred_at
/// DESC LIMIT limit` (the number's unanswered calls: one such query per case of the debtor). A
/// nil series is not needed (its rule is off for the jurisdiction, or does not apply to the
/// channel or outcome) and may be left empty.
///
/// Every series counts stored communications only, never the one being evaluated, and never
/// contacts after `at` (a back-dated log is judged by the history before it). Bounds are inclusive
/// milliseconds: a rolling window `(at − N days, at]` is requested as `since = at − N days + 1 ms`.
/// Per-day series use the debtor-local day of `at`: `since = LocalTime.startOfLocalDay(containing:
/// at, in:)`, DST-correct, so a day may be 23 or 25 hours long.
public struct HistoryRequest: Sendable, Equatable {
    /// One series: contacts with `since <= occurred_at <= until`, newest first, at most `limit`.
    public struct Series: Sendable, Equatable {
        public let since: Instant
        public let until: Instant
        public let limit: Int

        public init(since: Instant, until: Instant, limit: Int) {
            self.since = since
            self.until = until
            self.limit = limit
        }
    }

    /// Case; channel phone; direction outbound; any outcome. Rolling call window, limit = max attempts.
    public var casePhoneAttempts: Series?
    /// Case; channel phone; either direction; outcome `connected_rpc`. Cooldown window, limit 1.
    public var lastCaseRPCPhone: Series?
    /// Case; channel sms; direction outbound; any outcome. Rolling sms window, limit = max messages.
    public var caseSMS: Series?
    /// Debtor (all cases); channel phone; either direction; outcome `connected_rpc`. Local day, limit = daily limit.
    public var debtorRPCPhoneToday: Series?
    /// Debtor (all cases); channel phone; direction outbound; outcome `no_answer`, `voicemail` or
    /// `busy`; `to` = the target number. Local day, limit = daily limit.
    public var numberUnansweredToday: Series?
    /// Debtor (all cases); any channel; either direction; outcome `connected_rpc`. Reached window, limit 1.
    public var lastDebtorReached: Series?

    public init(casePhoneAttempts: Series? = nil, lastCaseRPCPhone: Series? = nil, caseSMS: Series? = nil,
                debtorRPCPhoneToday: Series? = nil, numberUnansweredToday: Series? = nil,
                lastDebtorReached: Series? = nil) {
        self.casePhoneAttempts = casePhoneAttempts
        self.lastCaseRPCPhone = lastCaseRPCPhone
        self.caseSMS = caseSMS
        self.debtorRPCPhoneToday = debtorRPCPhoneToday
        self.numberUnansweredToday = numberUnansweredToday
        self.lastDebtorReached = lastDebtorReached
    }
}
