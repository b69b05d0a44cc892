/// The policy numbers the money rules read, taken from the compliance policy document so the
/// thresholds have one home (`max_agent_discount_percent`, `grace_days`, `promise_grace_days`).
public struct MoneyPolicy: Sendable, Equatable {
    /// The largest discount (plan or adjustment) an agent may grant without approval, in percent of the balance.
    public var maxAgentDiscountPercent: Int
    /// Days after an instalment's due date before an unpaid instalment breaks its plan.
    public var graceDays: Int
    /// Days after a promise's due date during which payments still keep it.
    public var promiseGraceDays: Int

    public init(maxAgentDiscountPercent: Int = 10, graceDays: Int = 5, promiseGraceDays: Int = 2) {
        self.maxAgentDiscountPercent = maxAgentDiscountPercent
        self.graceDays = graceDays
        self.promiseGraceDays = promiseGraceDays
    }

    public init(_ policy: CompliancePolicy) {
        self.init(maxAgentDiscountPercent: policy.maxAgentDiscountPercent, graceDays: policy.graceDays,
                  promiseGraceDays: policy.promiseGraceDays)
    }

    public static let defaults = MoneyPolicy()

    /// Whether `role` may grant discounts beyond policy on its own: the roles that approve them.
    public static func canApprove(_ role: Role) -> Bool { Permission.approveAndAssign.allows(role) }
}
