/// Every right in the contract's table (section 15), checked in one place: `Permission.allows`.
public enum Permission: String, Sendable, CaseIterable {
    case readCases                 // debtors, cases and everything under a case (agents: own cases)
    case writeDebtorsAndCases      // create/patch debtors and cases, import
    case exportCases
    case changeRestrictions
    case logCaseActivity           // communications, promises, plans within policy, payments, surveys, messages
    case openDisputesAndComplaints
    case resolveDisputesAndComplaints
    case approveAndAssign          // approve/reject plans and adjustments, reverse payments, assign, segment_override
    case readPolicy                // policy, playbooks, templates
    case writePolicy               // policy and templates, resolve alerts
    case readAudit
    case analytics
    case manageUsers               // users, other users' keys, run jobs
    case transitionWorkflow        // to contacted, promise, plan, disputed
    case transitionControl         // to legal, open, closed
    case complianceCheck
    case readAlerts
    case readComplaintsAndFeedback
    case manageOwnKeys

    /// The rights table. "own" rights of agents are further narrowed to their cases by `CaseScope`.
    public func allows(_ role: Role) -> Bool {
        switch (self, role) {
        case (_, .admin): true
        case (.readCases, _): true
        case (.writeDebtorsAndCases, .supervisor): true
        case (.exportCases, .supervisor), (.exportCases, .analyst): true
        case (.changeRestrictions, .supervisor), (.changeRestrictions, .compliance): true
        case (.logCaseActivity, .agent), (.logCaseActivity, .supervisor): true
        case (.openDisputesAndComplaints, .agent), (.openDisputesAndComplaints, .supervisor),
             (.openDisputesAndComplaints, .compliance): true
        case (.resolveDisputesAndComplaints, .supervisor), (.resolveDisputesAndComplaints, .compliance): true
        case (.approveAndAssign, .supervisor): true
        case (.readPolicy, _): true
        case (.writePolicy, .compliance): true
        case (.readAudit, .compliance): true
        case (.analytics, .supervisor), (.analytics, .compliance), (.analytics, .analyst): true
        case (.manageUsers, _): false
        case (.transitionWorkflow, .agent), (.transitionWorkflow, .supervisor): true
        case (.transitionControl, .supervisor): true
        case (.complianceCheck, .agent), (.complianceCheck, .supervisor), (.complianceCheck, .compliance): true
        case (.readAlerts, .supervisor), (.readAlerts, .compliance): true
        case (.readComplaintsAndFeedback, _): true
        case (.manageOwnKeys, _): true
        default: false
        }
    }
}

extension Principal {
    /// Throws `forbidden` unless the actor's role has the right.
    public func require(_ permission: Permission) throws {
        guard permission.allows(role) else {
            throw DomainError.forbidden("the \(role.rawValue) role may not \(permission.summary)")
        }
    }

    /// Agents work only cases assigned to them or their team; every other role sees all cases.
    public var isLimitedToOwnCases: Bool { role == .agent }
}

extension Permission {
    var summary: String {
        switch self {
        case .readCases: "read cases"
        case .writeDebtorsAndCases: "create or change debtors and cases"
        case .exportCases: "export cases"
        case .changeRestrictions: "change debtor restrictions"
        case .logCaseActivity: "log case activity"
        case .openDisputesAndComplaints: "open disputes or complaints"
        case .resolveDisputesAndComplaints: "resolve disputes or transition complaints"
        case .approveAndAssign: "approve, reverse or assign"
        case .readPolicy: "read policy"
        case .writePolicy: "change policy, templates or alerts"
        case .readAudit: "read the audit log"
        case .analytics: "read analytics"
        case .manageUsers: "manage users or run jobs"
        case .transitionWorkflow: "move cases through the workflow"
        case .transitionControl: "move cases to legal, open or closed"
        case .complianceCheck: "run compliance checks"
        case .readAlerts: "read compliance alerts"
        case .readComplaintsAndFeedback: "read complaints and feedback"
        case .manageOwnKeys: "manage their own keys"
        }
    }
}
