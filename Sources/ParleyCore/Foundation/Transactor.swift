/// Runs a unit of work in one database transaction: every store call made inside joins it, so a
/// read-decide-write sequence (judge a contact against its history, then record it) cannot race
/// another writer and commits or rolls back as a whole.
public protocol Transactor: Sendable {
    func atomically<T>(_ body: () throws -> T) throws -> T
}
