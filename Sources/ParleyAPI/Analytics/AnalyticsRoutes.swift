import ParleyCore
import ParleyHTTP

/// Analytics overview and trend (contract §12).
struct AnalyticsRoutes {
    let services: APIServices
    var analytics: AnalyticsService { services.analytics }

    func register(in router: Router) {
        router.get("/v1/analytics/overview", handler: services.secured(.analytics, overview))
        router.get("/v1/analytics/trend", handler: services.secured(.analytics, trend))
    }

    /// `from`/`to` dates (UTC, `to` exclusive; defaults: the last 30 days up to tomorrow) and `currency`.
    func range(_ request: HTTPRequest, _ failure: inout ValidationFailure) -> (CalendarDate, CalendarDate, String?) {
        let query = request.queryParameters
        func date(_ name: String) -> CalendarDate? {
            guard let text = query[name] else { return nil }
            if let date = CalendarDate(iso: text) { return date }
            failure.add(name, "must be a date YYYY-MM-DD")
            return nil
        }
        let today = services.clock.now().utcDate
        let to = date("to") ?? today.adding(days: 1)
        let from = date("from") ?? to.adding(days: -30)
        AnalyticsService.validate(from: from, to: to, into: &failure)
        let currency = query["currency"]
        if let currency, !Validators.isCurrency(currency) { failure.add("currency", "must be an ISO 4217 code such as CNY") }
        return (from, to, currency)
    }

    func overview(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        var failure = ValidationFailure()
        let (from, to, currency) = range(request, &failure)
        var grouping = AnalyticsGrouping.none
        if let text = request.queryParameters["group_by"] {
            if let value = AnalyticsGrouping(rawValue: text) { grouping = value } else {
                failure.add("group_by", "must be one of " + AnalyticsGrouping.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        try failure.throwIfAny()
        let groups = try analytics.overview(AnalyticsQuery(from: from, to: to, currency: currency, groupBy: grouping), by: actor)
        return Reply.json { writer in
            writer.beginObject()
            writer.field("from", from)
            writer.field("to", to)
            writer.field("currency", currency)
            writer.field("group_by", grouping.rawValue)
            writer.key("groups")
            writer.beginArray()
            for group in groups { AnalyticsJSON.write(group, to: &writer) }
            writer.endArray()
            writer.endObject()
        }
    }

    func trend(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        var failure = ValidationFailure()
        let (from, to, currency) = range(request, &failure)
        let query = request.queryParameters
        let metric = query["metric"].flatMap(TrendMetric.init(rawValue:))
        if metric == nil { failure.add("metric", "must be one of " + TrendMetric.allCases.map(\.rawValue).joined(separator: ", ")) }
        var interval = TrendInterval.day
        if let text = query["interval"] {
            if let value = TrendInterval(rawValue: text) { interval = value } else { failure.add("interval", "must be day, week or month") }
        }
        if interval == .day, to.daysSinceEpoch - from.daysSinceEpoch > 1_000 { failure.add("interval", "daily trends span at most 1000 days") }
        // Amounts in different currencies do not add up.
        if metric == .collectedMinor, currency == nil { failure.add("currency", "is required for collected_minor") }
        guard let metric, failure.isEmpty else { throw failure }
        let points = try analytics.trend(metric, interval: interval, from: from, to: to, currency: currency, by: actor)
        return Reply.json { writer in
            writer.beginObject()
            writer.field("metric", metric.rawValue)
            writer.field("interval", interval.rawValue)
            writer.field("from", from)
            writer.field("to", to)
            writer.field("currency", currency)
            writer.key("points")
            writer.beginArray()
            for (start, value) in points {
                writer.beginObject()
                writer.field("period_start", start)
                writer.key("value")
                switch value {
                case .count(let count): writer.int(count)
                case .rate(let rate): AnalyticsJSON.number(rate, to: &writer)
                }
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
        }
    }
}

enum AnalyticsJSON {
    /// Rates as JSON numbers rounded to 6 decimals (they are fractions, never money); null when undefined.
    static func number(_ value: Double?, to writer: inout JSONWriter) {
        guard let value, value.isFinite else { writer.null(); return }
        let rounded = (value * 1_000_000).rounded() / 1_000_000
        writer.rawNumber(rounded == rounded.rounded() ? String(Int64(rounded)) : String(rounded))
    }

    static func write(_ g: AnalyticsFigures, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("key", g.key)
        writer.field("currency", g.currency)
        writer.field("cases", g.counts.cases)
        writer.field("placed_minor", g.counts.placedMinor)
        writer.field("collected_minor", g.counts.collectedMinor)
        for (name, value) in [("recovery_rate", g.recoveryRate), ("contact_rate", g.contactRate), ("rpc_rate", g.rpcRate),
                              ("ptp_kept_rate", g.ptpKeptRate), ("plan_completion_rate", g.planCompletionRate), ("csat", g.csat)] {
            writer.key(dynamic: name)
            number(value, to: &writer)
        }
        writer.key("csat_by_dimension")
        writer.beginObject()
        for (name, value) in [("communication", g.csatCommunication), ("attitude", g.csatAttitude), ("resolution", g.csatResolution)] {
            writer.key(dynamic: name)
            number(value, to: &writer)
        }
        writer.endObject()
        writer.key("nps")
        number(g.nps, to: &writer)
        writer.key("complaints_per_1000_cases")
        number(g.complaintsPer1000Cases, to: &writer)
        writer.field("compliance_violations", g.counts.violations)
        writer.endObject()
    }
}
