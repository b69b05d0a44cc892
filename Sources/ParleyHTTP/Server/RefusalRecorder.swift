import Logging

/// Requests refused while they are read, before they reach the router (bad framing, a size
/// limit, a timeout), leave an access-log line and a count in `/metrics`, under the route
/// `refused`: without them a probe or a smuggling attempt would pass unseen. The line's bytes are
/// those of the whole answer and its duration 0 (the refusal ends no timed handling).
struct RefusalRecorder: Sendable {
    let accessLog: (any AccessLogWriter)?
    let metrics: MetricsRegistry?

    func record(_ refusal: ErrorResponse, requestID: String, responseBytes: Int) {
        let method = refusal.method.map(MetricsMiddleware.methodLabel) ?? "-"
        let status = refusal.status.code
        metrics?.increment("parley_http_requests_total", [("method", method), ("route", "refused"), ("status", String(status))],
                           help: "HTTP requests answered, by method, route pattern and status.")
        let level = AccessLogEntry.level(of: status)
        guard let accessLog, accessLog.isEnabled(level) else { return }
        accessLog.write(AccessLogEntry(level: level, method: method, route: "refused", status: status, durationMicroseconds: 0,
                                       responseBytes: responseBytes, requestID: requestID, userID: nil))
    }
}
