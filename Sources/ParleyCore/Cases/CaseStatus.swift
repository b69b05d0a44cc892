/// The case status machine (contract §5), as data: one table, read by the service and rendered
/// in Docs/cases.md.
public enum CaseStatus: String, Sendable, CaseIterable {
    case open, contacted, promise, plan, disputed, legal, paid, closed

    /// Targets reachable by an explicit transition. `paid` is never a target: it is entered when
    /// the balance reaches zero.
    public var allowedTargets: [CaseStatus] {
        switch self {
        case .open: [.contacted, .promise, .plan, .disputed, .legal, .closed]
        case .contacted: [.promise, .plan, .disputed, .legal, .closed]
        case .promise: [.plan, .contacted, .disputed, .legal, .closed]
        case .plan: [.contacted, .disputed, .legal, .closed]
        case .disputed: [.open, .closed]
        case .legal: [.open, .disputed, .closed]
        case .paid, .closed: []
        }
    }

    public func canMove(to target: CaseStatus) -> Bool { allowedTargets.contains(target) }

    public var isTerminal: Bool { self == .paid || self == .closed }

    /// The right a transition to this status needs (contract §15).
    public var transitionPermission: Permission {
        switch self {
        case .contacted, .promise, .plan, .disputed: .transitionWorkflow
        default: .transitionControl
        }
    }
}

public enum CloseReason: String, Sendable, CaseIterable {
    case recalled, written_off, settled, other
}
