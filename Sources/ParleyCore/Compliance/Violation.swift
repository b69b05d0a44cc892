/// One rule a contact breaks, with the earliest instant that rule alone would allow it again.
public struct Violation: Sendable, Equatable {
    public let rule: ComplianceRuleName
    /// Plain English for the agent or dialer; never contains personal data beyond the rule's own facts.
    public let message: String
    /// nil when the rule has no end in time (a restriction, missing consent, a text problem).
    public let nextAllowedAt: Instant?

    public init(rule: ComplianceRuleName, message: String, nextAllowedAt: Instant?) {
        self.rule = rule
        self.message = message
        self.nextAllowedAt = nextAllowedAt
    }
}
