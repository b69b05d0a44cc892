import ParleyCore
import ParleyHTTP

/// The compliance check, the policy and the alerts (contract §7).
struct ComplianceRoutes {
    let services: APIServices
    var compliance: ComplianceService { services.compliance }

    func register(in router: Router) {
        router.post("/v1/compliance/check", handler: services.secured(.complianceCheck, check))
        router.get("/v1/compliance/policy", handler: services.secured(.readPolicy, policy))
        router.put("/v1/compliance/policy", handler: services.secured(.writePolicy, replacePolicy))
        router.get("/v1/compliance/alerts", handler: services.secured(.readAlerts, alerts))
        router.post("/v1/compliance/alerts/{id}/resolve", handler: services.idempotent(required: false, .writePolicy, resolve))
    }

    func check(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        var body = try JSONBody(request)
        let caseID = try body.requiredString("case_id")
        let channel = try body.requiredEnum("channel", ContactChannel.self)
        let at = try body.optionalInstant("at")
        let to = try body.optionalString("to")
        try body.finish(alsoChecking: compliance.validateCheck(caseID: caseID.map { CaseID($0) }, to: to, by: actor))
        let (caseValue, channelValue) = try body.finish(caseID, channel)
        let verdict = try compliance.check(caseID: CaseID(caseValue), channel: channelValue, at: at, to: to, by: actor)
        return Reply.json { writer in
            writer.beginObject()
            writer.field("allowed", verdict.ok)
            writer.key("violations")
            ComplianceJSON.write(verdict.violations, to: &writer)
            writer.field("next_allowed_at", verdict.nextAllowedAt)
            writer.endObject()
        }
    }

    func policy(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let (policy, version) = try compliance.policy(by: actor)
        return Self.policyReply(policy, version: version)
    }

    func replacePolicy(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        try JSONBody.requireJSONContentType(request)
        let document: JSONValue
        do {
            document = try JSONParser.parse(request.body)
        } catch {
            throw APIError.badRequest("the body is not valid JSON: \(error.message) at byte \(error.offset)")
        }
        let (policy, version) = try compliance.replacePolicy(document, ifMatch: request.ifMatchVersions(), by: actor)
        return Self.policyReply(policy, version: version)
    }

    /// The policy document with its `version`, as every mutable resource carries, and the same as `ETag`.
    static func policyReply(_ policy: CompliancePolicy, version: Int64) -> HTTPResponse {
        Reply.json(etag: version) { writer in
            guard case .object(let members) = policy.json else { return writer.value(policy.json, sortKeys: false) }
            writer.value(.object(members + [("version", .number(String(version)))]), sortKeys: false)
        }
    }

    func alerts(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let query = request.queryParameters
        var failure = ValidationFailure()
        var filter = AlertFilter(caseID: query.filter("case_id").map { CaseID($0) })
        if let text = query["status"] {
            filter.status = ComplianceAlert.Status(rawValue: text)
            if filter.status == nil { failure.add("status", "must be open or resolved") }
        }
        let pageRequest = request.pageRequest(.id("alr"), failure: &failure)
        try failure.throwIfAny()
        let page = try compliance.alerts(filter, page: pageRequest, by: actor)
        return Reply.page(page) { writer, alert in ComplianceJSON.write(alert, to: &writer) }
    }

    func resolve(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        // The body is optional: `{}` or `{"note":"…"}`.
        let body = try JSONBody.ifPresent(request)
        let note = try body?.optionalString("note")
        try body?.finish()
        let alert = try compliance.resolveAlert(AlertID(context.parameter("id")), note: note, by: actor)
        return Reply.json { ComplianceJSON.write(alert, to: &$0) }
    }
}

enum ComplianceJSON {
    static func write(_ violations: [Violation], to writer: inout JSONWriter) {
        writer.beginArray()
        for violation in violations {
            writer.beginObject()
            writer.field("rule", violation.rule.rawValue)
            writer.field("message", violation.message)
            writer.field("next_allowed_at", violation.nextAllowedAt)
            writer.endObject()
        }
        writer.endArray()
    }

    static func write(_ alert: ComplianceAlert, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", alert.id)
        writer.field("case_id", alert.caseID)
        writer.field("communication_id", alert.communicationID)
        writer.field("rule", alert.rule)
        writer.field("message", alert.message)
        writer.field("status", alert.status.rawValue)
        writer.field("created_at", alert.createdAt)
        writer.field("resolved_at", alert.resolvedAt)
        writer.field("resolved_by", alert.resolvedBy)
        writer.field("resolution", alert.resolution)
        writer.endObject()
    }
}
