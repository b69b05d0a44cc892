import ParleyCore
import ParleyHTTP

/// `GET /health` and `GET /metrics` (contract §2); neither needs a key by default.
struct OpsRoutes {
    let services: APIServices

    func register(in router: Router) {
        // Answered on the event loop: the database check never waits (HealthProbe).
        router.get("/health", answersOnLoop: true) { _, _ in health() }
        router.get("/metrics") { request, _ in
            if services.metricsRequireKey { _ = try services.authenticate(request) }
            var headers = HTTPHeaders()
            headers.add("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            return HTTPResponse(status: .ok, headers: headers, body: Array(services.metrics.render().utf8))
        }
    }

    private func health() -> HTTPResponse {
        let report = services.health.report()
        return Reply.json(report.healthy ? .ok : .serviceUnavailable) { writer in
            writer.beginObject()
            writer.field("status", report.healthy ? "ok" : "degraded")
            writer.field("version", report.version)
            writer.field("uptime_seconds", report.uptimeSeconds)
            writer.field("database", report.healthy ? "ok" : "unavailable")
            writer.endObject()
        }
    }
}
