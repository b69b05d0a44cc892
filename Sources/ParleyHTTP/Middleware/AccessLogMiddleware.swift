import Logging

/// One log line per request: method, route pattern (never the raw path, which may carry ids or
/// search terms), status, duration, response bytes and the request id. 5xx at error level.
public struct AccessLogMiddleware: HTTPMiddleware {
    public init() {}

    public func handle(
        _ request: HTTPRequest, context: inout RequestContext,
        next: (HTTPRequest, inout RequestContext) throws -> HTTPResponse
    ) throws -> HTTPResponse {
        let response = try next(request, &context)
        let elapsed = ContinuousClock.now - context.startedAt
        let level: Logger.Level = response.status.code >= 500 ? .error : .info
        if context.logger.logLevel <= level {
            context.logger.log(level: level, "request", metadata: [
                "http.method": .string(request.method),
                "http.route": .string(context.route),
                "http.status": .stringConvertible(response.status.code),
                "http.duration_ms": .string(String(format3(elapsed))),
                "http.response_bytes": .stringConvertible(response.bodyBytes.count),
            ])
        }
        return response
    }

    private func format3(_ duration: Duration) -> String {
        let micros = duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
        let millis = micros / 1_000
        let fraction = micros % 1_000
        return "\(millis)." + String(repeating: "0", count: 3 - String(fraction).count) + String(fraction)
    }
}
