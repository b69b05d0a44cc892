import ParleyCore
import Testing

/// A user store where every change loses the race to a write that came first.
private struct RacedUserStore: UserStore {
    let stored = User(id: "usr_1", name: "Ana", role: .agent, team: nil, active: true,
                      createdAt: Instant(millisecondsSinceEpoch: 0), updatedAt: Instant(millisecondsSinceEpoch: 0), version: 1)

    func insert(_ user: User, key: StoredKey, audit: AuditRecord, actor: Principal) throws {}
    func user(id: String) throws -> User? { id == stored.id ? stored : nil }
    func users(page: PageRequest) throws -> Page<User> { Page(fetched: [stored], limit: page.limit) { $0.id } }
    func update(_ user: User, expectedVersion: Int64, audit: AuditRecord, actor: Principal) throws {
        throw DomainError.preconditionFailed("user \(user.id) was changed meanwhile")
    }
    func insertKey(_ key: StoredKey, audit: AuditRecord, actor: Principal) throws {}
    func revokeKey(userID: String, keyID: String, at: Instant, audit: AuditRecord, actor: Principal) throws -> Bool { false }
    func actor(forKeyHash hash: [UInt8]) throws -> Principal? { nil }
    func userCount() throws -> Int { 1 }
}

@Suite struct VersionedWriteTests {
    let service = UserService(store: RacedUserStore(), ids: IDGenerator(), clock: .system)
    let admin = Principal(userID: "usr_admin", role: .admin, team: nil)

    /// A request without If-Match asked for no precondition: losing a race is a conflict to retry (409).
    @Test func aLostRaceIsAConflictWithoutIfMatch() {
        #expect(throws: DomainError.conflict("user usr_1 was changed meanwhile")) {
            try service.update("usr_1", changes: UserChanges(active: false), ifMatch: nil, by: admin)
        }
    }

    /// With If-Match the client made the change conditional: a version gone by the time of the write is 412.
    @Test func aLostRaceIsAFailedPreconditionWithIfMatch() {
        #expect(throws: DomainError.preconditionFailed("user usr_1 was changed meanwhile")) {
            try service.update("usr_1", changes: UserChanges(active: false), ifMatch: [1], by: admin)
        }
        #expect(throws: DomainError.preconditionFailed("user usr_1 is at version 1")) {
            try service.update("usr_1", changes: UserChanges(active: false), ifMatch: [2, 3], by: admin)
        }
    }
}
