import Logging

/// Requests refused before they reach the router (bad framing, a limit, a timeout) leave the
/// traces a routed request leaves: an access-log line and a count in `/metrics`, under the route
/// `refused`. Without them a probe or a smuggling attempt would pass unseen.
struct RefusalRecorder: Sendable {
    let accessLog: (any AccessLogWriter)?
    let metrics: MetricsRegistry?

    func record(_ refusal: ErrorResponse, requestID: String, responseBytes: Int) {
        let method = refusal.method.map(MetricsMiddleware.methodLabel) ?? "-"
        let status = refusal.status.code
        metrics?.increment("parley_http_requests_total", [("method", method), ("route", "refused"), ("status", String(status))],
                           help: "HTTP requests answered, by method, route pattern and status.")
        let level: Logger.Level = status >= 500 ? .error : .info
        guard let accessLog, accessLog.isEnabled(level) else { return }
        accessLog.write(AccessLogEntry(level: level, method: method, route: "refused", status: status, durationMicroseconds: 0,
                                       responseBytes: responseBytes, requestID: requestID, userID: nil))
    }
}
