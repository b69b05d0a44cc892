/// `conversation_cooldown` (US): no call for N days after a phone conversation with the debtor
/// about the case, 12 CFR 1006.14(b)(2)(i)(B).
struct ConversationCooldownRule: ComplianceRule {
    let days: Int
    var name: ComplianceRuleName { .conversationCooldown }

    func evaluate(_ context: ComplianceContext) -> [Violation] {
        guard context.channel == .phone, let last = context.history.lastCaseRPCPhone else { return [] }
        let end = last.adding(days: Int64(days))
        guard last <= context.at, context.at < end else { return [] }
        let message = "the debtor was spoken to about this case by phone at \(last); "
            + "no call for \(days) days after a conversation"
        return [Violation(rule: name, message: message, nextAllowedAt: end)]
    }
}
