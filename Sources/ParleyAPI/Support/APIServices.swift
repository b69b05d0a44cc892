import ParleyCore
import ParleyHTTP

/// Everything the routes call, handed in by the composition root (ParleyApp).
public struct APIServices: Sendable {
    public let users: UserService
    public let debtors: DebtorService
    public let cases: CaseService
    public let imports: ImportService
    public let communications: CommunicationService
    public let compliance: ComplianceService
    public let messages: MessageService
    public let money: MoneyService
    public let feedback: FeedbackService
    public let portal: PortalService
    public let complaints: ComplaintService
    public let analytics: AnalyticsService
    public let segments: SegmentService
    public let jobs: JobRunner
    public let audit: AuditService
    public let health: HealthService
    let idempotentRequests: IdempotentRequests
    public let metrics: MetricsRegistry
    public let clock: WallClock
    /// When true, `/metrics` needs a valid API key too.
    public let metricsRequireKey: Bool
    /// The body limit of `POST /v1/imports`.
    public let maxImportBytes: Int

    public init(users: UserService, debtors: DebtorService, cases: CaseService, imports: ImportService,
                communications: CommunicationService, compliance: ComplianceService, messages: MessageService, money: MoneyService,
                feedback: FeedbackService, portal: PortalService, complaints: ComplaintService, analytics: AnalyticsService,
                segments: SegmentService,
                jobs: JobRunner, audit: AuditService,
                health: HealthService, idempotency: any IdempotencyStore, metrics: MetricsRegistry, clock: WallClock,
                metricsRequireKey: Bool, maxImportBytes: Int) {
        self.users = users
        self.debtors = debtors
        self.cases = cases
        self.imports = imports
        self.communications = communications
        self.compliance = compliance
        self.messages = messages
        self.money = money
        self.feedback = feedback
        self.portal = portal
        self.complaints = complaints
        self.analytics = analytics
        self.segments = segments
        self.jobs = jobs
        self.maxImportBytes = maxImportBytes
        self.audit = audit
        self.health = health
        self.idempotentRequests = IdempotentRequests(store: idempotency, clock: clock)
        self.metrics = metrics
        self.clock = clock
        self.metricsRequireKey = metricsRequireKey
    }
}

/// A handler that runs for an authenticated actor.
typealias SecuredHandler = @Sendable (HTTPRequest, RequestContext, Principal) throws -> HTTPResponse

extension APIServices {
    /// Wraps a handler with bearer-key authentication (contract §1 auth). Rights are then checked
    /// by the services against the one rights table (`Permission`).
    /// `permission`, when given, is checked before the body is read, so a caller without the right
    /// learns 403 rather than the details of a validation failure.
    func secured(_ handler: @escaping SecuredHandler) -> HTTPHandler { secured(nil, handler) }

    func secured(_ permission: Permission?, _ handler: @escaping SecuredHandler) -> HTTPHandler {
        { request, context in
            let actor = try authenticate(request)
            context.userID = actor.userID
            if let permission { try actor.require(permission) }
            guard !request.queryParameters.malformed.isEmpty else { return try handler(request, context, actor) }
            guard request.method == "GET" || request.method == "HEAD" else { throw Self.malformedQuery(request) }
            // A read runs, so that its 422 names the malformed parameters with every other failing
            // one (a bad `limit` too); whatever it answers, the request is then refused.
            do {
                _ = try handler(request, context, actor)
            } catch var failure as ValidationFailure {
                failure.mergeNewFields(Self.malformedQuery(request))
                throw failure
            } catch is DomainError {
            } catch is APIError {
            } catch is HTTPError {
            }  // anything else (the storage failing) is the server's, and is answered as such
            throw Self.malformedQuery(request)
        }
    }

    /// A query parameter that cannot be decoded is 422 naming it: answering as if it had not been
    /// sent would turn a search for `q=%zz` into a list of everyone.
    private static func malformedQuery(_ request: HTTPRequest) -> ValidationFailure {
        var failure = ValidationFailure()
        for name in request.queryParameters.malformed { failure.add(name, "is not valid percent-encoded UTF-8 (RFC 3986)") }
        return failure
    }

    func authenticate(_ request: HTTPRequest) throws -> Principal {
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

    /// Wraps a secured POST with `Idempotency-Key` handling (contract §1, §15; `IdempotentRequests`).
    func idempotent(required: Bool, _ handler: @escaping SecuredHandler) -> HTTPHandler {
        idempotent(required: required, nil, handler)
    }

    func idempotent(required: Bool, _ permission: Permission?, _ handler: @escaping SecuredHandler) -> HTTPHandler {
        secured(permission) { request, context, actor in
            guard let key = try Self.idempotencyKey(request, required: required) else { return try handler(request, context, actor) }
            let scoped = IdempotentRequests.key(key, request: request, userID: actor.userID)
            return try idempotentRequests.run(scoped, request: request, context: context) {
                try handler(request, context, actor)
            }
        }
    }

    /// The same for a handler whose work runs in transactions of its own (the import): its answer
    /// is recorded after it (`IdempotentRequests.runThenRecord`). The query is part of the scope,
    /// so a dry run and the real import of one file under one key are two requests.
    func idempotentAfterwards(_ permission: Permission?, _ handler: @escaping SecuredHandler) -> HTTPHandler {
        secured(permission) { request, context, actor in
            guard let key = try Self.idempotencyKey(request, required: false) else { return try handler(request, context, actor) }
            let path = IdempotentRequests.key(key, request: request, userID: actor.userID)
            let scoped = IdempotencyKey(scope: path.scope + "?" + (request.head.query.map(String.init) ?? ""), key: key)
            return try idempotentRequests.runThenRecord(scoped, request: request, context: context) {
                try handler(request, context, actor)
            }
        }
    }

    /// The request's `Idempotency-Key`, checked: visible ASCII with inner spaces (the parser has
    /// trimmed the ends), as the API document says; 400 when it is required and absent.
    private static func idempotencyKey(_ request: HTTPRequest, required: Bool) throws -> String? {
        guard let key = request.headers["idempotency-key"] else {
            if required { throw APIError.badRequest("the Idempotency-Key header is required here") }
            return nil
        }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }) else {
            throw APIError.badRequest("Idempotency-Key must be 1 to 255 visible ASCII characters")
        }
        return key
    }
}
