/// The life of a payment plan. Only `active` plans receive payments and are monitored.
public enum PlanStatus: String, Sendable, CaseIterable {
    case pendingApproval = "pending_approval"
    case active, completed, broken, cancelled, rejected

    /// Whether the plan still occupies the case's one plan slot: a plan awaiting approval counts,
    /// so approving it can never leave two live plans on a case.
    public var isLive: Bool { self == .pendingApproval || self == .active }
}

/// An instalment's state: `missed` is set by the plan monitor once the grace days have passed.
public enum InstallmentStatus: String, Sendable, CaseIterable {
    case pending, paid, missed
}
