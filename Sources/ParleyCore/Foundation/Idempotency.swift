/// Identifies one idempotent request: the key is scoped to the caller, the method and the path.
public struct IdempotencyScope: Sendable, Hashable {
    public let userID: String
    public let method: String
    public let path: String
    public let key: String
    public init(userID: String, method: String, path: String, key: String) {
        self.userID = userID
        self.method = method
        self.path = path
        self.key = key
    }
}

/// A stored response, replayed byte for byte.
public struct StoredResponse: Sendable, Equatable {
    public let status: Int
    public let contentType: String?
    public let location: String?
    public let body: [UInt8]
    public init(status: Int, contentType: String?, location: String?, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.location = location
        self.body = body
    }
}

public enum IdempotencyClaim: Sendable, Equatable {
    /// First use: run the request, then `complete` or `release` the claim.
    case claimed
    /// Same key, same body, finished: answer with the stored response.
    case replay(StoredResponse)
    /// Same key, still running.
    case inFlight
    /// Same key, a different body.
    case mismatch
}

public protocol IdempotencyStore: Sendable {
    /// Claims the scope for a request whose body hashes to `requestHash`; keys live 24 hours.
    func claim(_ scope: IdempotencyScope, requestHash: String, at: Instant) throws -> IdempotencyClaim
    func complete(_ scope: IdempotencyScope, response: StoredResponse) throws
    /// Forgets a claim whose request failed on the server's side, so the client may retry.
    func release(_ scope: IdempotencyScope) throws
}
