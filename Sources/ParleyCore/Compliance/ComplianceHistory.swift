/// The earlier contacts the time-based rules count, as instants rather than counts, so the engine
/// can slide every window forward when it searches for `next_allowed_at`.
///
/// The store fills each series as `HistoryRequest` describes; instants are kept newest first.
public struct ComplianceHistory: Sendable, Equatable {
    /// Outbound phone attempts on the case, any outcome (US rolling call limit).
    public var casePhoneAttempts: [Instant]
    /// The latest `connected_rpc` phone conversation about the case (US cooldown).
    public var lastCaseRPCPhone: Instant?
    /// Outbound sms on the case, any outcome (rolling sms limit).
    public var caseSMS: [Instant]
    /// `connected_rpc` phone conversations with the debtor, any case, on the debtor-local day of `at` (CN).
    public var debtorRPCPhoneToday: [Instant]
    /// Unanswered outbound attempts to the target number on the debtor-local day of `at` (CN).
    public var numberUnansweredToday: [Instant]
    /// The latest time the debtor was reached (`connected_rpc`, any channel, any case) (CN third-party rule).
    public var lastDebtorReached: Instant?

    public init(casePhoneAttempts: [Instant] = [], lastCaseRPCPhone: Instant? = nil, caseSMS: [Instant] = [],
                debtorRPCPhoneToday: [Instant] = [], numberUnansweredToday: [Instant] = [],
                lastDebtorReached: Instant? = nil) {
        // Sorted here so rules never depend on the store's ORDER BY.
        self.casePhoneAttempts = casePhoneAttempts.sorted(by: >)
        self.lastCaseRPCPhone = lastCaseRPCPhone
        self.caseSMS = caseSMS.sorted(by: >)
        self.debtorRPCPhoneToday = debtorRPCPhoneToday.sorted(by: >)
        self.numberUnansweredToday = numberUnansweredToday.sorted(by: >)
        self.lastDebtorReached = lastDebtorReached
    }
}
