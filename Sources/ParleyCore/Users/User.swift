/// A person (or integration) who calls the API with one of their keys.
public struct User: Sendable, Equatable {
    public let id: String
    public var name: String
    public var role: Role
    public var team: String?
    public var active: Bool
    public let createdAt: Instant
    public var updatedAt: Instant
    public var version: Int64
    public var keys: [APIKeyInfo]

    public init(id: String, name: String, role: Role, team: String?, active: Bool, createdAt: Instant,
                updatedAt: Instant, version: Int64, keys: [APIKeyInfo] = []) {
        self.id = id
        self.name = name
        self.role = role
        self.team = team
        self.active = active
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
        self.keys = keys
    }
}

/// What is shown of a key: never the key, only its last four characters.
public struct APIKeyInfo: Sendable, Equatable {
    public let id: String
    public let createdAt: Instant
    public let last4: String
    public let revokedAt: Instant?

    public init(id: String, createdAt: Instant, last4: String, revokedAt: Instant?) {
        self.id = id
        self.createdAt = createdAt
        self.last4 = last4
        self.revokedAt = revokedAt
    }
}

/// A key as stored: its SHA-256, never the key itself.
public struct StoredKey: Sendable {
    public let id: String
    public let userID: String
    public let hash: [UInt8]
    public let last4: String
    public let createdAt: Instant
}

/// A freshly made key, shown to its owner exactly once.
public struct IssuedKey: Sendable {
    public let id: String
    public let apiKey: String
    public let createdAt: Instant
}

public struct NewUser: Sendable {
    public let name: String
    public let role: Role
    public let team: String?
    public init(name: String, role: Role, team: String?) {
        self.name = name
        self.role = role
        self.team = team
    }
}

/// A partial change; a nil member leaves the field as it is (`team: .some(nil)` clears the team).
public struct UserChanges: Sendable {
    public var role: Role?
    public var team: String??
    public var active: Bool?
    public init(role: Role? = nil, team: String?? = nil, active: Bool? = nil) {
        self.role = role
        self.team = team
        self.active = active
    }
}

public protocol UserStore: Sendable {
    func insert(_ user: User, key: StoredKey, audit: AuditRecord, actor: Principal) throws
    func user(id: String) throws -> User?
    func users(page: PageRequest) throws -> Page<User>
    /// Saves a changed user if its version is still `expectedVersion`; otherwise `preconditionFailed`.
    /// A change that would leave no active admin is a conflict (checked in the same transaction,
    /// so two admins demoting each other at once cannot both succeed).
    func update(_ user: User, expectedVersion: Int64, audit: AuditRecord, actor: Principal) throws
    func insertKey(_ key: StoredKey, audit: AuditRecord, actor: Principal) throws
    /// Revokes a key of the user; false when there is no such live key.
    func revokeKey(userID: String, keyID: String, at: Instant, audit: AuditRecord, actor: Principal) throws -> Bool
    /// The active user owning a live key with this hash.
    func actor(forKeyHash hash: [UInt8]) throws -> Principal?
    func userCount() throws -> Int
}
