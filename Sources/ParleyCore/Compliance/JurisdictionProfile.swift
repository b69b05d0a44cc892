/// The per-jurisdiction parameters of the time-based rules. A nil limit switches its rule off.
public struct JurisdictionProfile: Sendable, Equatable {
    public var contactHours: ContactHours
    /// Outbound phone attempts per case in a rolling window (US: 7 in 7 days, 12 CFR 1006.14(b)(2)).
    public var callFrequency: FrequencyLimit?
    /// Days without outbound calls after a `connected_rpc` phone conversation about the case (US: 7).
    public var conversationCooldownDays: Int?
    /// `connected_rpc` phone conversations per debtor per debtor-local day (CN: 3).
    public var dailyRPCLimit: Int?
    /// Unanswered outbound attempts per phone number per debtor-local day (CN: 6).
    public var dailyUnansweredPerNumber: Int?
    /// A third-party contact is a violation while the debtor was reached this many days back (CN: 30).
    public var thirdPartyReachedDays: Int?
    /// Outbound sms per case in a rolling window (everywhere: 3 in 7 days).
    public var smsFrequency: FrequencyLimit

    public init(contactHours: ContactHours, callFrequency: FrequencyLimit? = nil, conversationCooldownDays: Int? = nil,
                dailyRPCLimit: Int? = nil, dailyUnansweredPerNumber: Int? = nil, thirdPartyReachedDays: Int? = nil,
                smsFrequency: FrequencyLimit = FrequencyLimit(maxCount: 3, windowDays: 7)) {
        self.contactHours = contactHours
        self.callFrequency = callFrequency
        self.conversationCooldownDays = conversationCooldownDays
        self.dailyRPCLimit = dailyRPCLimit
        self.dailyUnansweredPerNumber = dailyUnansweredPerNumber
        self.thirdPartyReachedDays = thirdPartyReachedDays
        self.smsFrequency = smsFrequency
    }

    /// US: Regulation F (12 CFR 1006.6(b)(1)(i) hours, 1006.14(b)(2) call frequency and cooldown).
    public static let unitedStates = JurisdictionProfile(
        contactHours: ContactHours(start: (8, 0), end: (21, 0)),
        callFrequency: FrequencyLimit(maxCount: 7, windowDays: 7), conversationCooldownDays: 7)

    /// CN: daily per-debtor and per-number call caps and the third-party rule.
    public static let china = JurisdictionProfile(
        contactHours: ContactHours(start: (8, 0), end: (22, 0)),
        dailyRPCLimit: 3, dailyUnansweredPerNumber: 6, thirdPartyReachedDays: 30)

    public static let unitedKingdom = JurisdictionProfile(contactHours: ContactHours(start: (8, 0), end: (21, 0)))

    /// Any jurisdiction without a profile of its own.
    public static let fallback = JurisdictionProfile(contactHours: ContactHours(start: (8, 0), end: (21, 0)))
}
