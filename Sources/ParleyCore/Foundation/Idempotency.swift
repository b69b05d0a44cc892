/// Identifies one idempotent request: a key, scoped by whoever sends it (the API layer scopes it to
/// the caller, the method and the concrete path, contract §15).
public struct IdempotencyKey: Sendable, Hashable {
    public let scope: String
    public let key: String
    public init(scope: String, key: String) {
        self.scope = scope
        self.key = key
    }
}

/// What a guarded operation produced: its value, the recorded answer to replay, and whether its
/// changes are kept (a refused request keeps nothing but still records its answer).
public struct IdempotentResult<Value> {
    public let value: Value
    public let recorded: [UInt8]
    public let keepsChanges: Bool
    public init(value: Value, recorded: [UInt8], keepsChanges: Bool) {
        self.value = value
        self.recorded = recorded
        self.keepsChanges = keepsChanges
    }
}

public enum IdempotencyOutcome<Value> {
    /// First use: the operation ran and its answer was recorded in the same transaction.
    case performed(Value)
    /// Same key, same request, seen before: the recorded answer.
    case replay([UInt8])
    /// Same key, a different request.
    case mismatch
}

/// Runs an operation and records its answer in one transaction, so that a crash can never leave a
/// committed mutation without its record (a retry would run it twice) or a record without its
/// mutation. Keys live 24 hours.
public protocol IdempotencyStore: Sendable {
    func perform<Value>(_ key: IdempotencyKey, requestHash: String, at: Instant,
                        _ operation: () throws -> IdempotentResult<Value>) throws -> IdempotencyOutcome<Value>

    /// The live record of `key` at `at`, if any: for an operation that cannot run inside the
    /// record's transaction (see `record`).
    func recorded(_ key: IdempotencyKey, at: Instant) throws -> (requestHash: String, response: [UInt8])?

    /// Records the answer of an operation that ran in transactions of its own (a bulk import),
    /// after it ran: a crash in between leaves the work done and no record.
    func record(_ key: IdempotencyKey, requestHash: String, response: [UInt8], at: Instant) throws
}
