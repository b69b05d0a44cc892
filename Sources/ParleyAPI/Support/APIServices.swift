import ParleyCore
import ParleyHTTP

/// Everything the routes call, handed in by the composition root (ParleyApp).
public struct APIServices: Sendable {
    public let users: UserService
    public let debtors: DebtorService
    public let cases: CaseService
    public let imports: ImportService
    public let audit: AuditService
    public let health: HealthService
    public let idempotency: any IdempotencyStore
    public let metrics: MetricsRegistry
    public let clock: Clock
    /// When true, `/metrics` needs a valid API key too.
    public let metricsRequireKey: Bool
    /// The body limit of `POST /v1/imports`.
    public let maxImportBytes: Int

    public init(users: UserService, debtors: DebtorService, cases: CaseService, imports: ImportService, audit: AuditService,
                health: HealthService, idempotency: any IdempotencyStore, metrics: MetricsRegistry, clock: Clock,
                metricsRequireKey: Bool, maxImportBytes: Int) {
        self.users = users
        self.debtors = debtors
        self.cases = cases
        self.imports = imports
        self.maxImportBytes = maxImportBytes
        self.audit = audit
        self.health = health
        self.idempotency = idempotency
        self.metrics = metrics
        self.clock = clock
        self.metricsRequireKey = metricsRequireKey
    }
}

/// A handler that runs for an authenticated actor.
typealias SecuredHandler = @Sendable (HTTPRequest, RequestContext, Actor) throws -> HTTPResponse

extension APIServices {
    /// Wraps a handler with bearer-key authentication (contract §1 auth). Rights are then checked
    /// by the services against the one rights table (`Permission`).
    /// `permission`, when given, is checked before the body is read, so a caller without the right
    /// learns 403 rather than the details of a validation failure.
    func secured(_ handler: @escaping SecuredHandler) -> HTTPHandler { secured(nil, handler) }

    func secured(_ permission: Permission?, _ handler: @escaping SecuredHandler) -> HTTPHandler {
        { request, context in
            let actor = try authenticate(request)
            context.logger[metadataKey: "user.id"] = .string(actor.userID)
            if let permission { try actor.require(permission) }
            return try handler(request, context, actor)
        }
    }

    func authenticate(_ request: HTTPRequest) throws -> Actor {
        guard let header = request.headers["authorization"] else {
            throw APIError.unauthorized("send Authorization: Bearer <api key>")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError.unauthorized("the Authorization scheme must be Bearer")
        }
        guard let actor = try users.authenticate(bearer: String(parts[1]).trimmingSpaces) else {
            throw APIError.unauthorized("the API key is not valid")
        }
        return actor
    }

    /// Wraps a secured POST with `Idempotency-Key` handling (contract §1, §15): the first response
    /// is stored and replayed byte for byte; a different body is 422, a duplicate in flight 409.
    func idempotent(required: Bool, _ handler: @escaping SecuredHandler) -> HTTPHandler {
        idempotent(required: required, nil, handler)
    }

    func idempotent(required: Bool, _ permission: Permission?, _ handler: @escaping SecuredHandler) -> HTTPHandler {
        secured(permission) { request, context, actor in
            guard let key = request.headers["idempotency-key"] else {
                if required { throw APIError.badRequest("the Idempotency-Key header is required here") }
                return try handler(request, context, actor)
            }
            guard !key.isEmpty, key.utf8.count <= 255 else {
                throw APIError.badRequest("Idempotency-Key must be 1 to 255 characters")
            }
            let scope = IdempotencyScope(userID: actor.userID, method: request.method, path: String(request.path), key: key)
            let hash = Hashing.hex(Hashing.sha256(request.body))
            switch try idempotency.claim(scope, requestHash: hash, at: clock.now()) {
            case .replay(let stored):
                var headers = HTTPHeaders()
                if let type = stored.contentType { headers.add("Content-Type", type) }
                if let location = stored.location { headers.add("Location", location) }
                headers.add("Idempotent-Replayed", "true")
                return HTTPResponse(status: HTTPStatus(stored.status), headers: headers, body: stored.body)
            case .inFlight:
                throw DomainError.conflict("a request with this Idempotency-Key is still being processed")
            case .mismatch:
                throw DomainError.unprocessable("this Idempotency-Key was used with a different request body")
            case .claimed:
                let response: HTTPResponse
                do {
                    response = try handler(request, context, actor)
                } catch {
                    let rendered = ProblemRenderer.render(error, context: context)
                    try settle(scope, rendered)
                    return rendered
                }
                try settle(scope, response)
                return response
            }
        }
    }

    /// Stores a final answer; a server-side failure releases the key so the client can retry.
    private func settle(_ scope: IdempotencyScope, _ response: HTTPResponse) throws {
        if response.status.code >= 500 {
            try idempotency.release(scope)
        } else {
            try idempotency.complete(scope, response: StoredResponse(
                status: response.status.code, contentType: response.headers["Content-Type"],
                location: response.headers["Location"], body: response.bodyBytes))
        }
    }
}
