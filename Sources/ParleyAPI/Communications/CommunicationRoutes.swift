import ParleyCore
import ParleyHTTP

/// The communication record of a case (contract §6). There is no route that changes or deletes
/// one: other methods on these paths are 405.
struct CommunicationRoutes {
    let services: APIServices
    var communications: CommunicationService { services.communications }

    func register(in router: Router) {
        router.post("/v1/cases/{id}/communications", handler: services.idempotent(required: false, .logCaseActivity, log))
        router.get("/v1/cases/{id}/communications", handler: services.secured(list))
        router.get("/v1/cases/{id}/communications/{communication_id}", handler: services.secured(get))
    }

    func log(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        // Decoded now, reported only once the service has found the case: an unknown case is 404
        // before anything about the body is said.
        let decoded = Result { try Self.decode(request) }
        let communication = try communications.log(caseID: CaseID(context.parameter("id")), by: actor) { try decoded.get() }
        return Reply.json(.created, location: "/v1/cases/\(communication.caseID)/communications/\(communication.id)") {
            CommunicationJSON.write(communication, to: &$0)
        }
    }

    static func decode(_ request: HTTPRequest) throws -> NewCommunication {
        var body = try JSONBody(request)
        let channel = try body.requiredEnum("channel", ContactChannel.self)
        let direction = try body.requiredEnum("direction", ContactDirection.self)
        let outcome = try body.requiredEnum("outcome", ContactOutcome.self)
        let occurredAt = try body.requiredInstant("occurred_at")
        let duration = try body.optionalInt("duration_seconds")
        let summary = try body.optionalString("summary")
        let content = try body.optionalString("content")
        let to = try body.optionalString("to")
        try body.finish(alsoChecking: CommunicationService.validateFields(
            channel: channel, outcome: outcome, occurredAt: occurredAt, durationSeconds: duration, summary: summary,
            content: content, to: to, now: nil))
        let (channelValue, directionValue, outcomeValue, occurred) = try body.finish(channel, direction, outcome, occurredAt)
        return NewCommunication(channel: channelValue, direction: directionValue, outcome: outcomeValue, occurredAt: occurred,
                                durationSeconds: duration, summary: summary, content: content, to: to)
    }

    func list(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let page = try communications.list(caseID: CaseID(context.parameter("id")), page: request.pageRequest(.communicationPosition), by: actor)
        return Reply.page(page) { writer, communication in CommunicationJSON.write(communication, to: &writer) }
    }

    func get(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let communication = try communications.get(CommunicationID(context.parameter("communication_id")), caseID: CaseID(context.parameter("id")), by: actor)
        return Reply.json { CommunicationJSON.write(communication, to: &$0) }
    }
}

enum CommunicationJSON {
    static func write(_ c: Communication, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", c.id)
        writer.field("case_id", c.caseID)
        writer.field("debtor_id", c.debtorID)
        writer.field("channel", c.channel.rawValue)
        writer.field("direction", c.direction.rawValue)
        writer.field("outcome", c.outcome.rawValue)
        writer.field("occurred_at", c.occurredAt)
        writer.field("duration_seconds", c.durationSeconds)
        writer.field("summary", c.summary)
        writer.field("content", c.content)
        writer.field("to", c.to)
        writer.key("compliance")
        writer.beginObject()
        // Inbound contacts are not judged: they are on the record as `evaluated: false`.
        writer.field("ok", c.compliance?.ok ?? true)
        writer.field("evaluated", c.compliance != nil)
        writer.key("violations")
        ComplianceJSON.write(c.compliance?.violations ?? [], to: &writer)
        writer.field("next_allowed_at", c.compliance?.nextAllowedAt)
        writer.endObject()
        writer.field("recorded_by", c.recordedBy)
        writer.field("created_at", c.recordedAt)
        writer.endObject()
    }
}
