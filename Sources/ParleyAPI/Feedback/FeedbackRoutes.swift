import ParleyCore
import ParleyHTTP

/// Surveys, the public feedback endpoint (no API key), feedback and follow-ups (contract §10).
struct FeedbackRoutes {
    let services: APIServices
    var feedback: FeedbackService { services.feedback }

    func register(in router: Router) {
        router.post("/v1/cases/{id}/surveys", handler: services.idempotent(required: false, .logCaseActivity, createSurvey))
        router.post("/v1/public/feedback", handler: publicFeedback)
        router.get("/v1/feedback", handler: services.secured(.readComplaintsAndFeedback, list))
        router.get("/v1/followups", handler: services.secured(.readComplaintsAndFeedback, followUps))
        router.post("/v1/followups/{id}/close", handler: services.idempotent(required: false, .approveAndAssign, closeFollowUp))
    }

    func createSurvey(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        _ = try services.cases.visibleCase(CaseID(context.parameter("id")), by: actor)
        let body = try JSONBody.ifPresent(request)
        let communicationID = try body?.optionalString("communication_id").map { CommunicationID($0) }
        try body?.finish()
        let (survey, token) = try feedback.createSurvey(caseID: CaseID(context.parameter("id")), communicationID: communicationID, by: actor)
        return Reply.json(.created) { writer in
            writer.beginObject()
            writer.field("id", survey.id)
            writer.field("case_id", survey.caseID)
            writer.field("communication_id", survey.communicationID)
            writer.field("token", token)
            writer.field("url", "/p/f/" + token)
            writer.field("expires_at", survey.expiresAt)
            writer.endObject()
        }
    }

    /// No API key: the token is the credential. Rate limited per client address.
    func publicFeedback(_ request: HTTPRequest, _ context: inout RequestContext) throws -> HTTPResponse {
        try feedback.admit(request.remoteAddress)
        var body = try JSONBody(request)
        let token = try body.requiredString("token")
        let scores = try Self.scores(&body)
        let nps = try body.optionalInt("nps")
        let comment = try body.optionalString("comment")
        // Missing scores are reported already; stand-ins of 3 let the others be checked now.
        let answer = FeedbackScores(communication: Self.small(scores.0 ?? 3), attitude: Self.small(scores.1 ?? 3),
                                    resolution: Self.small(scores.2 ?? 3))
        body.merge(FeedbackService.validate(scores: answer, nps: nps.map(Self.small), comment: comment))
        let tokenValue = try body.finish(token)
        let saved = try feedback.submit(token: tokenValue, scores: answer, nps: nps.map(Self.small), comment: comment)
        // The caller holds no API key: the answer says it was received and nothing about the case.
        return Reply.json(.created) { writer in
            writer.beginObject()
            writer.field("id", saved.id)
            writer.field("status", "received")
            writer.field("created_at", saved.createdAt)
            writer.endObject()
        }
    }

    /// Out-of-range integers become values the range check refuses, never a trap.
    static func small(_ value: Int64) -> Int { Int(max(-1, min(value, 1_000))) }

    static func scores(_ body: inout JSONBody) throws -> (Int64?, Int64?, Int64?) {
        guard let scores = try body.optionalObject("scores") else {
            body.fail("scores", "is required: {\"communication\":1-5,\"attitude\":1-5,\"resolution\":1-5}")
            return (nil, nil, nil)
        }
        var inner = scores
        let values = (try inner.requiredInt("communication"), try inner.requiredInt("attitude"), try inner.requiredInt("resolution"))
        body.merge(inner.failure)
        return values
    }

    func list(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let query = request.queryParameters
        var failure = ValidationFailure()
        let filter = FeedbackFilter(caseID: query.filter("case_id").map { CaseID($0) }, agentID: query.filter("agent_id"),
                                    from: request.instantParameter("from", failure: &failure),
                                    to: request.instantParameter("to", failure: &failure))
        let pageRequest = request.pageRequest(.id("fbk"), failure: &failure)
        try failure.throwIfAny()
        let page = try feedback.feedback(filter, page: pageRequest, by: actor)
        return Reply.page(page) { writer, item in FeedbackJSON.write(item, to: &writer) }
    }

    func followUps(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        var failure = ValidationFailure()
        var status: FollowUp.Status?
        if let text = request.queryParameters["status"] {
            status = FollowUp.Status(rawValue: text)
            if status == nil { failure.add("status", "must be open or closed") }
        }
        let pageRequest = request.pageRequest(.id("fup"), failure: &failure)
        try failure.throwIfAny()
        let page = try feedback.followUps(status: status, page: pageRequest, by: actor)
        return Reply.page(page) { writer, item in FeedbackJSON.write(item, to: &writer) }
    }

    func closeFollowUp(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let body = try JSONBody.ifPresent(request)
        let note = try body?.optionalString("note")
        try body?.finish()
        let followUp = try feedback.closeFollowUp(FollowUpID(context.parameter("id")), note: note, by: actor)
        return Reply.json { FeedbackJSON.write(followUp, to: &$0) }
    }
}

enum FeedbackJSON {
    static func write(_ f: Feedback, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", f.id)
        writer.field("case_id", f.caseID)
        writer.field("communication_id", f.communicationID)
        writer.field("agent_id", f.agentID)
        writer.key("scores")
        writer.beginObject()
        writer.field("communication", f.scores.communication)
        writer.field("attitude", f.scores.attitude)
        writer.field("resolution", f.scores.resolution)
        writer.endObject()
        writer.field("nps", f.nps.map(Int64.init))
        writer.field("comment", f.comment)
        writer.field("created_at", f.createdAt)
        writer.endObject()
    }

    static func write(_ u: FollowUp, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", u.id)
        writer.field("case_id", u.caseID)
        writer.field("feedback_id", u.feedbackID)
        writer.field("assigned_team", u.assignedTeam)
        writer.field("status", u.status.rawValue)
        writer.field("due_at", u.dueAt)
        writer.field("created_at", u.createdAt)
        writer.field("closed_at", u.closedAt)
        writer.field("note", u.note)
        writer.endObject()
    }
}
