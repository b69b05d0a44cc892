/// `third_party_disclosure`: judged on a logged contact with a third party. Telling a third party
/// about the debt is a violation everywhere; in CN (when `reachedDays` is set) contacting a third
/// party at all is one while the debtor was reached recently, as third parties may only be used
/// to find a debtor who cannot be reached.
struct ThirdPartyDisclosureRule: ComplianceRule {
    let debtMention: DebtMention
    let reachedDays: Int?
    var name: ComplianceRuleName { .thirdPartyDisclosure }

    func evaluate(_ context: ComplianceContext) -> [Violation] {
        guard context.outcome == .connectedThirdParty else { return [] }
        var violations: [Violation] = []
        if [context.content, context.summary].contains(where: { $0.map(debtMention.mentionsDebt(in:)) ?? false }) {
            violations.append(Violation(rule: name, message: "the debt was mentioned in a conversation with a third party",
                                        nextAllowedAt: nil))
        }
        if let reachedDays, let reached = context.history.lastDebtorReached,
           reached <= context.at, context.at < reached.adding(days: Int64(reachedDays)) {
            let message = "a third party was contacted although the debtor was reached at \(reached), "
                + "within the last \(reachedDays) days"
            violations.append(Violation(rule: name, message: message, nextAllowedAt: nil))
        }
        return violations
    }
}
