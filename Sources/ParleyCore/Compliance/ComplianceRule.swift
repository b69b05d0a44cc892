/// One rule of the compliance engine. A rule holds its parameters (taken from the policy when the
/// engine is built) and judges a context; it never reads a store or a clock, so the engine can
/// re-run it at later candidate instants to find `next_allowed_at`.
public protocol ComplianceRule: Sendable {
    var name: ComplianceRuleName { get }
    /// The violations of this rule at `context.at`; empty when the contact passes.
    func evaluate(_ context: ComplianceContext) -> [Violation]
}
