/// `sms_frequency`: at most N outbound sms per case in any rolling window.
struct SMSFrequencyRule: ComplianceRule {
    let limit: FrequencyLimit
    var name: ComplianceRuleName { .smsFrequency }

    func evaluate(_ context: ComplianceContext) -> [Violation] {
        guard context.channel == .sms,
              let next = limit.blockedUntil(pastEvents: context.history.caseSMS, at: context.at)
        else { return [] }
        let message = "the case already has \(limit.maxCount) outbound sms in the last \(limit.windowDays) days"
        return [Violation(rule: name, message: message, nextAllowedAt: next)]
    }
}
