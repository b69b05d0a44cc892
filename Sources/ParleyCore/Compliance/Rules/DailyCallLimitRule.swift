/// `call_frequency` (CN): per debtor-local calendar day, at most N conversations with the debtor
/// and at most M unanswered attempts per phone number. Both reopen at the next local midnight.
struct DailyCallLimitRule: ComplianceRule {
    let conversationsPerDebtor: Int?
    let unansweredPerNumber: Int?
    var name: ComplianceRuleName { .callFrequency }

    func evaluate(_ context: ComplianceContext) -> [Violation] {
        guard context.channel == .phone else { return [] }
        let zone = context.timeZone
        // The history holds the day of the original `at`; a later candidate day starts from zero.
        let dayStart = LocalTime.startOfLocalDay(containing: context.at, in: zone)
        let nextDay = LocalTime.startOfNextLocalDay(after: context.at, in: zone)
        func countToday(_ instants: [Instant]) -> Int { instants.filter { $0 >= dayStart && $0 <= context.at }.count }

        var violations: [Violation] = []
        if let limit = conversationsPerDebtor, countToday(context.history.debtorRPCPhoneToday) >= limit {
            violations.append(Violation(
                rule: name, message: "the debtor has already had \(limit) phone conversations today (debtor-local day)",
                nextAllowedAt: nextDay))
        }
        if let limit = unansweredPerNumber, countToday(context.history.numberUnansweredToday) >= limit {
            violations.append(Violation(
                rule: name, message: "this number already has \(limit) unanswered call attempts today (debtor-local day)",
                nextAllowedAt: nextDay))
        }
        return violations
    }
}
