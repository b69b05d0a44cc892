/// `vulnerable`: a vulnerable debtor is contacted by a supervisor (or admin), never an agent.
struct VulnerableDebtorRule: ComplianceRule {
    var name: ComplianceRuleName { .vulnerable }

    func evaluate(_ context: ComplianceContext) -> [Violation] {
        guard context.restrictions.vulnerable, context.actorRole == .agent else { return [] }
        return [Violation(rule: name, message: "the debtor is vulnerable; outbound contact must be made by a supervisor",
                          nextAllowedAt: nil)]
    }
}
