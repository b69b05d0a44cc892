/// `call_frequency` (US): at most N outbound phone attempts per case in any rolling window,
/// 12 CFR 1006.14(b)(2)(i).
struct RollingCallLimitRule: ComplianceRule {
    let limit: FrequencyLimit
    var name: ComplianceRuleName { .callFrequency }

    func evaluate(_ context: ComplianceContext) -> [Violation] {
        guard context.channel == .phone,
              let next = limit.blockedUntil(pastEvents: context.history.casePhoneAttempts, at: context.at)
        else { return [] }
        let message = "the case already has \(limit.maxCount) outbound call attempts in the last \(limit.windowDays) days"
        return [Violation(rule: name, message: message, nextAllowedAt: next)]
    }
}
