/// `breathing_space`: no outbound contact while the debtor-local date is before `breathing_space_until`.
struct BreathingSpaceRule: ComplianceRule {
    var name: ComplianceRuleName { .breathingSpace }

    func evaluate(_ context: ComplianceContext) -> [Violation] {
        guard let until = context.restrictions.breathingSpaceUntil,
              LocalTime.localDate(of: context.at, in: context.timeZone) < until
        else { return [] }
        let end = LocalTime.instant(localDate: until, hour: 0, minute: 0, in: context.timeZone)
        let message = "the debtor is in a breathing space until \(until); outbound contact is blocked"
        return [Violation(rule: name, message: message, nextAllowedAt: end)]
    }
}
