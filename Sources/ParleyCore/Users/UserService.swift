/// Users and their API keys (contract §3).
public struct UserService: Sendable {
    private let store: any UserStore
    private let ids: IDGenerator
    private let clock: WallClock
    private let principals = PrincipalCache()

    public init(store: any UserStore, ids: IDGenerator, clock: WallClock) {
        self.store = store
        self.ids = ids
        self.clock = clock
    }

    /// Keys are `pk_` + 32 random bytes from the system CSPRNG, base64url.
    static func makeKeySecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "pk_" + Hashing.base64URL(bytes)
    }

    private func storedKey(secret: String, userID: String, at: Instant) -> StoredKey {
        StoredKey(id: ids.make("key"), userID: userID, hash: Hashing.sha256(Array(secret.utf8)),
                  last4: String(secret.suffix(4)), createdAt: at)
    }

    public static func validate(name: String?, team: String??) -> ValidationFailure {
        var failure = ValidationFailure()
        if let name {
            let trimmed = name.trimmingSpaces
            if trimmed.isEmpty { failure.add("name", "must not be empty") }
            if name.unicodeScalars.count > 200 { failure.add("name", "must be at most 200 characters") }
        }
        if case .some(.some(let team)) = team {
            if team.trimmingSpaces.isEmpty { failure.add("team", "must not be empty; use null for no team") }
            if team.unicodeScalars.count > 100 { failure.add("team", "must be at most 100 characters") }
        }
        return failure
    }

    /// Creates a user with a first key; the key is returned once and stored only as a hash.
    public func create(_ command: NewUser, by actor: Principal) throws -> (User, IssuedKey) {
        try actor.require(.manageUsers)
        try Self.validate(name: command.name, team: .some(command.team)).throwIfAny()
        return try createUnchecked(command, secret: Self.makeKeySecret(), by: actor)
    }

    /// Creates the first admin from a configured key, on an empty database only.
    public func bootstrapAdmin(key: String) throws -> User? {
        guard try store.userCount() == 0 else { return nil }
        return try createUnchecked(NewUser(name: "admin", role: .admin, team: nil), secret: key, by: .system).0
    }

    /// For `parley users create`: the operator at the console acts as the system.
    public func createFromConsole(_ command: NewUser) throws -> (User, IssuedKey) {
        try Self.validate(name: command.name, team: .some(command.team)).throwIfAny()
        return try createUnchecked(command, secret: Self.makeKeySecret(), by: .system)
    }

    private func createUnchecked(_ command: NewUser, secret: String, by actor: Principal) throws -> (User, IssuedKey) {
        let now = clock.now()
        let id = ids.make("usr")
        let key = storedKey(secret: secret, userID: id, at: now)
        let keyInfo = APIKeyInfo(id: key.id, createdAt: now, last4: key.last4, revokedAt: nil)
        let user = User(id: id, name: command.name.trimmingSpaces, role: command.role, team: command.team?.trimmingSpaces, active: true,
                        createdAt: now, updatedAt: now, version: 1, keys: [keyInfo])
        try store.insert(user, key: key, audit: AuditRecord(action: .userCreated, entity: "user", entityID: user.id, detail: .object([
            ("name", .string(user.name)), ("role", .string(user.role.rawValue)),
            ("team", user.team.map(JSONValue.string) ?? .null), ("key_id", .string(key.id)),
        ])), actor: actor)
        return (user, IssuedKey(id: key.id, apiKey: secret, createdAt: now))
    }

    public func list(page: PageRequest, by actor: Principal) throws -> Page<User> {
        try actor.require(.manageUsers)
        return try store.users(page: page)
    }

    /// Admins read anyone; everyone reads themselves. Another user's record needs the right to
    /// manage users, as every other user route does (403), whether or not that user exists.
    public func get(_ id: String, by actor: Principal) throws -> User {
        if actor.userID != id { try actor.require(.manageUsers) }
        guard let user = try store.user(id: id) else { throw DomainError.notFound("user \(id)") }
        return user
    }

    public func update(_ id: String, changes: UserChanges, ifMatch versions: Set<Int64>?, by actor: Principal) throws -> User {
        try actor.require(.manageUsers)
        try Self.validate(name: nil, team: changes.team).throwIfAny()
        guard var user = try store.user(id: id) else { throw DomainError.notFound("user \(id)") }
        if let versions, !versions.contains(user.version) {
            throw DomainError.preconditionFailed("user \(id) is at version \(user.version)")
        }
        let expected = user.version
        let before = user
        if let role = changes.role { user.role = role }
        if let team = changes.team { user.team = team?.trimmingSpaces }
        if let active = changes.active { user.active = active }
        // A PATCH that changes nothing is not a mutation: no new version, no audit entry.
        guard user.role != before.role || user.team != before.team || user.active != before.active else { return before }
        user.version += 1
        user.updatedAt = clock.now()
        let audit = AuditRecord(action: .userUpdated, entity: "user", entityID: user.id, detail: .object([
            ("role", .string(user.role.rawValue)), ("team", user.team.map(JSONValue.string) ?? .null),
            ("active", .bool(user.active)), ("version", .number(String(user.version))),
        ]))
        try versionedWrite(conditional: versions != nil) { try store.update(user, expectedVersion: expected, audit: audit, actor: actor) }
        principals.invalidate()
        return user
    }

    /// A new key for `userID`; the owner or an admin may ask. Old keys keep working. `checkRequest`
    /// runs once the right is known (403 comes before anything about the request's body).
    public func issueKey(for userID: String, by actor: Principal, checkRequest: () throws -> Void = {}) throws -> IssuedKey {
        try requireKeyRights(userID, actor)
        try checkRequest()
        guard let user = try store.user(id: userID) else { throw DomainError.notFound("user \(userID)") }
        let secret = Self.makeKeySecret()
        let key = storedKey(secret: secret, userID: user.id, at: clock.now())
        try store.insertKey(key, audit: AuditRecord(
            action: .apiKeyIssued, entity: "api_key", entityID: key.id,
            detail: .object([("user_id", .string(key.userID)), ("last4", .string(key.last4))])), actor: actor)
        return IssuedKey(id: key.id, apiKey: secret, createdAt: key.createdAt)
    }

    public func revokeKey(_ keyID: String, of userID: String, by actor: Principal) throws {
        try requireKeyRights(userID, actor)
        let audit = AuditRecord(action: .apiKeyRevoked, entity: "api_key", entityID: keyID,
                                detail: .object([("user_id", .string(userID))]))
        guard try store.revokeKey(userID: userID, keyID: keyID, at: clock.now(), audit: audit, actor: actor) else {
            throw DomainError.notFound("key \(keyID)")
        }
        principals.invalidate()
    }

    /// Own keys for everyone; other users' keys for admins only (403 in the rights table).
    private func requireKeyRights(_ userID: String, _ actor: Principal) throws {
        if actor.userID == userID { return }
        try actor.require(.manageUsers)
    }

    /// The actor behind a bearer key, or nil for an unknown, revoked or deactivated key.
    public func authenticate(bearer key: String) throws -> Principal? {
        guard !key.isEmpty, key.utf8.count <= 256 else { return nil }
        let hash = Hashing.sha256(Array(key.utf8))
        return try principals.principal(for: hash, now: clock.now()) { try store.actor(forKeyHash: hash) }
    }
}

extension String {
    /// Without leading and trailing white space: the code points with the Unicode White_Space
    /// property, one at a time (so a string is blank exactly when the API document's `NotBlank`
    /// pattern finds nothing in it).
    public var trimmingSpaces: String {
        // Fast path: most values have no surrounding space, and Unicode property lookups are costly.
        let utf8 = self.utf8
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return self }
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[start...end])
    }
}
