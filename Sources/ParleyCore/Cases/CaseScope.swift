/// Which cases an actor may see: all of them, or (agents) those assigned to them or their team.
public enum CaseScope: Sendable, Equatable {
    case all
    case own(userID: String, team: String?)

    public init(_ actor: Principal) {
        self = actor.isLimitedToOwnCases ? .own(userID: actor.userID, team: actor.team) : .all
    }

    public func includes(assignedTo: String?, team: String?) -> Bool {
        switch self {
        case .all: return true
        case .own(let userID, let ownTeam):
            if let assignedTo, assignedTo == userID { return true }
            if let ownTeam, let team, ownTeam == team { return true }
            return false
        }
    }
}
