/// `cease_communication`, `attorney_represented`, `bankruptcy`, `deceased`: a debtor restriction
/// that stops all outbound contact until someone lifts it, so it has no end in time.
struct DebtorRestrictionRule: ComplianceRule {
    let name: ComplianceRuleName

    static let all: [DebtorRestrictionRule] = [.init(name: .ceaseCommunication), .init(name: .attorneyRepresented),
                                               .init(name: .bankruptcy), .init(name: .deceased)]

    func evaluate(_ context: ComplianceContext) -> [Violation] {
        let restrictions = context.restrictions
        let message: String
        switch name {
        case .ceaseCommunication where restrictions.ceaseCommunication:
            message = "the debtor has asked that communication cease"
        case .attorneyRepresented where restrictions.attorneyRepresented:
            message = "the debtor is represented by an attorney; contact the attorney instead"
        case .bankruptcy where restrictions.bankruptcy:
            message = "the debtor is in bankruptcy"
        case .deceased where restrictions.deceased:
            message = "the debtor is deceased"
        default:
            return []
        }
        return [Violation(rule: name, message: message + "; outbound contact is blocked", nextAllowedAt: nil)]
    }
}
