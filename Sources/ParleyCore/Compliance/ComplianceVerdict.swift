/// The engine's answer for one contact.
public struct ComplianceVerdict: Sendable, Equatable {
    /// Every rule the contact breaks at its instant, in a fixed rule order.
    public let violations: [Violation]
    /// When the contact is blocked: the earliest instant that passes every rule, or nil when some
    /// violation has no end (a restriction, a dispute, missing consent, a text problem). Nil too
    /// when the contact is allowed, as there is nothing to wait for.
    public let nextAllowedAt: Instant?

    public init(violations: [Violation], nextAllowedAt: Instant?) {
        self.violations = violations
        self.nextAllowedAt = nextAllowedAt
    }

    public var ok: Bool { violations.isEmpty }

    public static let allowed = ComplianceVerdict(violations: [], nextAllowedAt: nil)
}
