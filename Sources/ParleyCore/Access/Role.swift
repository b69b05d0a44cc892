/// The roles of the contract's rights table (Docs/roles.md).
public enum Role: String, Sendable, CaseIterable {
    case agent, supervisor, compliance, analyst, admin
}

/// Who is acting: an authenticated user, or the system (jobs).
public struct Principal: Sendable, Equatable {
    public let userID: String
    public let role: Role
    public let team: String?
    public let keyID: String?

    public init(userID: String, role: Role, team: String?, keyID: String? = nil) {
        self.userID = userID
        self.role = role
        self.team = team
        self.keyID = keyID
    }

    /// The actor for scheduled jobs; audit entries show `system`.
    public static let system = Principal(userID: "system", role: .admin, team: nil)
}
