/// Counts requests by method, route pattern and status, and records their latency by route.
public struct MetricsMiddleware: HTTPMiddleware {
    private let registry: MetricsRegistry

    public init(registry: MetricsRegistry) { self.registry = registry }

    public func handle(
        _ request: HTTPRequest, context: inout RequestContext,
        next: (HTTPRequest, inout RequestContext) throws -> HTTPResponse
    ) throws -> HTTPResponse {
        let response = try next(request, &context)
        let elapsed = ContinuousClock.now - context.startedAt
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        registry.increment(
            "parley_http_requests_total",
            [("method", request.method), ("route", context.route), ("status", String(response.status.code))],
            help: "HTTP requests answered, by method, route pattern and status.")
        registry.observe(
            "parley_http_request_duration_seconds", [("route", context.route)], seconds: seconds,
            help: "Time from routing to response, by route pattern.")
        return response
    }
}
