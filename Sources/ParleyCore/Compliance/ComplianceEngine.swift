/// Judges outbound contacts against the compliance policy (contract §7). Pure: the caller
/// fetches what `historyRequest` asks for, builds a `ComplianceContext` and calls `evaluate`.
public struct ComplianceEngine: Sendable {
    public let policy: CompliancePolicy
    /// The policy's terms, normalised once for every screen that uses them.
    public let prohibitedLanguage: ProhibitedLanguage
    private let rulesByJurisdiction: [String: [any ComplianceRule]]
    private let defaultRules: [any ComplianceRule]

    /// Bounds the search for `next_allowed_at`; the shipped rules settle in three or four steps.
    static let maxSearchSteps = 20

    public init(policy: CompliancePolicy = .defaults) {
        self.policy = policy
        let screen = policy.prohibitedLanguage
        self.prohibitedLanguage = screen
        self.rulesByJurisdiction = policy.jurisdictions.mapValues { Self.rules(profile: $0, policy: policy, screen: screen) }
        self.defaultRules = Self.rules(profile: policy.defaultProfile, policy: policy, screen: screen)
    }

    /// The rules that govern a case in `jurisdiction`, in the order violations are reported.
    public func rules(for jurisdiction: String) -> [any ComplianceRule] {
        rulesByJurisdiction[jurisdiction] ?? defaultRules
    }

    /// Every violation at `context.at`, and when the contact could happen instead.
    /// Inbound contacts are never judged.
    public func evaluate(_ context: ComplianceContext) -> ComplianceVerdict {
        guard context.direction == .outbound else { return .allowed }
        let rules = rules(for: context.jurisdiction)
        let violations = Self.violations(of: rules, in: context)
        guard !violations.isEmpty else { return .allowed }
        let next = Self.nextAllowed(after: violations, rules: rules, context: context)
        return ComplianceVerdict(violations: violations, nextAllowedAt: next)
    }

    /// The series the store must fetch for a contact on `channel` at `at` (see `HistoryRequest`).
    /// Pass `outcome` when judging a logged communication; the CN third-party rule needs it.
    public func historyRequest(at: Instant, debtorTimeZone: String, jurisdiction: String, channel: ContactChannel,
                               outcome: ContactOutcome? = nil) -> HistoryRequest {
        let profile = policy.profile(for: jurisdiction)
        let zone = LocalTime.zone(named: debtorTimeZone)
        // A rolling window (at − N days, at] in inclusive milliseconds.
        func rolling(days: Int, limit: Int) -> HistoryRequest.Series {
            let since = Instant(millisecondsSinceEpoch: at.adding(days: -Int64(days)).millisecondsSinceEpoch + 1)
            return HistoryRequest.Series(since: since, until: at, limit: max(1, limit))
        }
        func today(limit: Int) -> HistoryRequest.Series {
            let since = LocalTime.startOfLocalDay(containing: at, in: zone)
            return HistoryRequest.Series(since: since, until: at, limit: max(1, limit))
        }
        var request = HistoryRequest()
        if channel == .phone {
            request.casePhoneAttempts = profile.callFrequency.map { rolling(days: $0.windowDays, limit: $0.maxCount) }
            request.lastCaseRPCPhone = profile.conversationCooldownDays.map { rolling(days: $0, limit: 1) }
            request.debtorRPCPhoneToday = profile.dailyRPCLimit.map { today(limit: $0) }
            request.numberUnansweredToday = profile.dailyUnansweredPerNumber.map { today(limit: $0) }
        }
        if channel == .sms {
            request.caseSMS = rolling(days: profile.smsFrequency.windowDays, limit: profile.smsFrequency.maxCount)
        }
        if outcome == .connectedThirdParty {
            request.lastDebtorReached = profile.thirdPartyReachedDays.map { rolling(days: $0, limit: 1) }
        }
        return request
    }

    /// An instant after the year 9999 cannot be written on the wire, so a rule that would name one
    /// names none, as a rule without an end does.
    private static func violations(of rules: [any ComplianceRule], in context: ComplianceContext) -> [Violation] {
        rules.flatMap { $0.evaluate(context) }.map { violation in
            guard let next = violation.nextAllowedAt, next > .latestWritable else { return violation }
            return Violation(rule: violation.rule, message: violation.message, nextAllowedAt: nil)
        }
    }

    private static func rules(profile: JurisdictionProfile, policy: CompliancePolicy, screen: ProhibitedLanguage) -> [any ComplianceRule] {
        var rules: [any ComplianceRule] = DebtorRestrictionRule.all
        rules += [BreathingSpaceRule(), DisputePendingRule(), VulnerableDebtorRule(), ChannelConsentRule(),
                  ProhibitedLanguageRule(screen: screen),
                  ThirdPartyDisclosureRule(debtMention: DebtMention(terms: policy.debtTerms),
                                           reachedDays: profile.thirdPartyReachedDays),
                  ContactHoursRule(hours: profile.contactHours)]
        if let limit = profile.callFrequency { rules.append(RollingCallLimitRule(limit: limit)) }
        if let days = profile.conversationCooldownDays { rules.append(ConversationCooldownRule(days: days)) }
        if profile.dailyRPCLimit != nil || profile.dailyUnansweredPerNumber != nil {
            rules.append(DailyCallLimitRule(conversationsPerDebtor: profile.dailyRPCLimit,
                                            unansweredPerNumber: profile.dailyUnansweredPerNumber))
        }
        rules.append(SMSFrequencyRule(limit: profile.smsFrequency))
        return rules
    }

    /// A fixpoint: jump to the latest instant any violated rule names, judge the same contact there
    /// with the same history (windows slide with the candidate), and repeat until nothing is violated.
    /// Contact hours and the frequency rules can push each other (a window reopening at 22:30
    /// local lands outside contact hours), which is why one step is not enough.
    private static func nextAllowed(after violations: [Violation], rules: [any ComplianceRule],
                                    context: ComplianceContext) -> Instant? {
        var current = violations
        var candidate = context.at
        for _ in 0..<maxSearchSteps {
            var latest = candidate
            for violation in current {
                guard let next = violation.nextAllowedAt else { return nil }
                latest = max(latest, next)
            }
            // Every timed rule names an instant after the one it judged; anything else would loop.
            guard latest > candidate else { return nil }
            candidate = latest
            current = Self.violations(of: rules, in: context.moved(to: candidate))
            if current.isEmpty { return candidate }
        }
        // Not settled within the bound: better no promise than an instant that may still be blocked.
        return nil
    }
}
