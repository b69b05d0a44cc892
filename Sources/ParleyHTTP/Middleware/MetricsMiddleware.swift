import Synchronization

/// Counts requests by method, route pattern and status, and records their latency by route.
/// Each (method, route, status) resolves to its series once; later requests only look it up.
public struct MetricsMiddleware: HTTPMiddleware {
    private let registry: MetricsRegistry
    private let cache = SeriesCache()

    struct RouteStatus: Hashable {
        let method: String
        let route: String
        let status: Int
    }

    final class SeriesCache: Sendable {
        let series = Mutex<[RouteStatus: (requests: MetricsRegistry.Series, duration: MetricsRegistry.Series)]>([:])
    }

    public init(registry: MetricsRegistry) { self.registry = registry }

    public func handle(
        _ request: HTTPRequest, context: inout RequestContext,
        next: (HTTPRequest, inout RequestContext) throws -> HTTPResponse
    ) throws -> HTTPResponse {
        let response = try next(request, &context)
        let key = RouteStatus(method: Self.methodLabel(request.method), route: context.route, status: response.status.code)
        let series = cache.series.withLock { $0[key] } ?? resolve(key)
        let (registry, startedAt) = (registry, context.startedAt)
        @Sendable func record() {
            let elapsed = ContinuousClock.now - startedAt
            registry.increment(series.requests)
            registry.observe(series.duration, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        // A streamed answer is counted when its last byte is written, with the time it took.
        if response.isStreamed { return response.whenStreamFinishes { _ in record() } }
        record()
        return response
    }

    /// The method as a label: a client may send any token as a method, and each would otherwise
    /// become series of its own, kept for the life of the process.
    static func methodLabel(_ method: String) -> String {
        switch method {
        case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT": method
        default: "other"
        }
    }

    private func resolve(_ key: RouteStatus) -> (requests: MetricsRegistry.Series, duration: MetricsRegistry.Series) {
        let resolved = (
            requests: registry.series(
                "parley_http_requests_total",
                [("method", key.method), ("route", key.route), ("status", String(key.status))],
                help: "HTTP requests answered, by method, route pattern and status."),
            duration: registry.series(
                "parley_http_request_duration_seconds", [("route", key.route), ("status", String(key.status))],
                help: "Time from routing to response, by route pattern and status."))
        // Routes, the known methods and statuses are few; the bound is a guard, not a working limit.
        cache.series.withLock { if $0.count < 4_096 { $0[key] = resolved } }
        return resolved
    }
}
