/// `dispute_pending`: an open dispute stops collection contact until it is resolved.
struct DisputePendingRule: ComplianceRule {
    var name: ComplianceRuleName { .disputePending }

    func evaluate(_ context: ComplianceContext) -> [Violation] {
        guard context.openDispute else { return [] }
        let message = "the case has an open dispute; outbound collection contact is blocked until it is resolved"
        return [Violation(rule: name, message: message, nextAllowedAt: nil)]
    }
}
