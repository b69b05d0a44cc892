import Logging

/// Per-request values that travel with a request through middleware to its handler.
public struct RequestContext: Sendable {
    /// The request id, accepted from `X-Request-Id` or generated; echoed on the response.
    public var requestID: String
    /// The matched route pattern (`/v1/cases/{id}`), or `unmatched`; used for logs and metrics.
    public var route: String
    /// Path parameters by name, percent-decoded.
    public var parameters: [String: String]
    /// The authenticated user, once known (for logs).
    public var userID: String?
    /// The server's logger; `logger` adds this request's ids to it.
    private var baseLogger: Logger
    /// A logger whose lines carry `request.id` and `user.id`. Built when something logs, so a
    /// request that logs nothing pays nothing for its metadata.
    public var logger: Logger {
        get {
            var logger = baseLogger
            if !requestID.isEmpty { logger[metadataKey: "request.id"] = .string(requestID) }
            if let userID { logger[metadataKey: "user.id"] = .string(userID) }
            return logger
        }
        set { baseLogger = newValue }
    }
    /// When the request reached the router (for access logs and latency metrics).
    public let startedAt: ContinuousClock.Instant

    public init(route: String, parameters: [String: String], logger: Logger) {
        self.requestID = ""
        self.route = route
        self.parameters = parameters
        self.baseLogger = logger
        self.startedAt = .now
    }

    /// A path parameter that the route pattern guarantees.
    public func parameter(_ name: String) -> String { parameters[name] ?? "" }
}

/// A request handler: runs on a worker thread, may block, throws errors the renderer turns into responses.
public typealias HTTPHandler = @Sendable (HTTPRequest, inout RequestContext) throws -> HTTPResponse

/// Something every request passes through on its way to the handler (request ids, logs, metrics, ...).
public protocol HTTPMiddleware: Sendable {
    func handle(
        _ request: HTTPRequest, context: inout RequestContext,
        next: (HTTPRequest, inout RequestContext) throws -> HTTPResponse
    ) throws -> HTTPResponse
}

/// An error that knows its own HTTP response; the router renders any other error through its renderer.
public struct HTTPError: Error, Sendable {
    public let status: HTTPStatus
    public let detail: String
    public var headers: HTTPHeaders

    public init(_ status: HTTPStatus, _ detail: String, headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.detail = detail
        self.headers = headers
    }
}
