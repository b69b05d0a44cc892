import ParleyCore
import ParleyHTTP

/// Complaints (contract §10).
struct ComplaintRoutes {
    let services: APIServices
    var complaints: ComplaintService { services.complaints }

    func register(in router: Router) {
        router.post("/v1/complaints", handler: services.idempotent(required: false, .openDisputesAndComplaints, open))
        router.get("/v1/complaints", handler: services.secured(.readComplaintsAndFeedback, list))
        router.get("/v1/complaints/{id}", handler: services.secured(.readComplaintsAndFeedback, get))
        router.post("/v1/complaints/{id}/transitions", handler: services.idempotent(required: false, .resolveDisputesAndComplaints, transition))
    }

    func open(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        var body = try JSONBody(request)
        let caseID = try body.requiredString("case_id")
        let channel = try body.requiredEnum("channel", ContactChannel.self)
        let category = try body.requiredEnum("category", Complaint.Category.self)
        let description = try body.requiredString("description")
        let severity = try body.optionalEnum("severity", Complaint.Severity.self) ?? .medium
        try body.finish(alsoChecking: complaints.validateOpening(caseID: caseID.map { CaseID($0) }, description: description, by: actor))
        let (caseValue, channelValue, categoryValue, descriptionValue) = try body.finish(caseID, channel, category, description)
        let complaint = try complaints.open(caseID: CaseID(caseValue), channel: channelValue, category: categoryValue,
                                            description: descriptionValue, severity: severity, by: actor)
        return Reply.json(.created, location: "/v1/complaints/\(complaint.id)") { ComplaintJSON.write(complaint, now: complaints.now, to: &$0) }
    }

    func list(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let query = request.queryParameters
        var failure = ValidationFailure()
        var filter = ComplaintFilter(caseID: query.filter("case_id").map { CaseID($0) })
        if let text = query["status"] {
            filter.status = Complaint.Status(rawValue: text)
            if filter.status == nil { failure.add("status", "must be one of open, investigating, resolved, rejected") }
        }
        if let text = query["overdue"] {
            if text == "true" { filter.overdueAt = complaints.now } else if text != "false" { failure.add("overdue", "must be true or false") }
        }
        let pageRequest = request.pageRequest(.id("cmp"), failure: &failure)
        try failure.throwIfAny()
        let page = try complaints.list(filter, page: pageRequest, by: actor)
        let now = complaints.now
        return Reply.page(page) { writer, complaint in ComplaintJSON.write(complaint, now: now, to: &writer) }
    }

    func get(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let complaint = try complaints.get(ComplaintID(context.parameter("id")), by: actor)
        return Reply.json { ComplaintJSON.write(complaint, now: complaints.now, to: &$0) }
    }

    func transition(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        var body = try JSONBody(request)
        let target = try body.requiredEnum("to", Complaint.Status.self)
        let resolution = try body.optionalString("resolution")
        let to = try body.finish(target)
        let complaint = try complaints.transition(ComplaintID(context.parameter("id")), to: to, resolution: resolution, by: actor)
        return Reply.json { ComplaintJSON.write(complaint, now: complaints.now, to: &$0) }
    }
}

enum ComplaintJSON {
    static func write(_ k: Complaint, now: Instant, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", k.id)
        writer.field("case_id", k.caseID)
        writer.field("channel", k.channel.rawValue)
        writer.field("category", k.category.rawValue)
        writer.field("description", k.description)
        writer.field("severity", k.severity.rawValue)
        writer.field("status", k.status.rawValue)
        writer.field("acknowledge_by", k.acknowledgeBy)
        writer.field("resolve_by", k.resolveBy)
        writer.field("acknowledged_at", k.acknowledgedAt)
        writer.field("resolved_at", k.resolvedAt)
        writer.field("resolution", k.resolution)
        writer.field("overdue", !k.missedDeadlines(at: now).isEmpty)
        writer.key("sla_breaches")
        writer.beginArray()
        for breach in k.breaches { writer.string(breach) }
        writer.endArray()
        writer.field("created_at", k.createdAt)
        writer.endObject()
    }
}
