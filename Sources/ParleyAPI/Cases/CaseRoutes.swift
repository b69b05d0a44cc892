import ParleyCore
import ParleyHTTP

/// Cases, their lifecycle, disputes, timeline and statement (contract §5).
struct CaseRoutes {
    let services: APIServices
    var cases: CaseService { services.cases }

    func register(in router: Router) {
        router.post("/v1/cases", handler: services.idempotent(required: false, .writeDebtorsAndCases, create))
        router.get("/v1/cases", handler: services.secured(list))
        router.get("/v1/cases/{id}", handler: services.secured(get))
        router.patch("/v1/cases/{id}", handler: services.secured(.writeDebtorsAndCases, update))
        router.post("/v1/cases/{id}/transitions", handler: services.idempotent(required: false, transition))
        router.post("/v1/cases/{id}/disputes", handler: services.idempotent(required: false, .openDisputesAndComplaints, openDispute))
        router.get("/v1/cases/{id}/disputes", handler: services.secured(disputes))
        router.get("/v1/cases/{id}/disputes/{dispute_id}", handler: services.secured(dispute))
        router.post("/v1/cases/{id}/disputes/{dispute_id}/resolve", handler: services.idempotent(required: false, .resolveDisputesAndComplaints, resolveDispute))
        router.get("/v1/cases/{id}/timeline", handler: services.secured(timeline))
        router.get("/v1/cases/{id}/statement", handler: services.secured(statement))
    }

    func create(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        var body = try JSONBody(request)
        let debtorID = try body.requiredString("debtor_id")
        let creditor = try body.requiredString("creditor")
        let externalRef = try body.requiredString("external_ref")
        let currency = try body.requiredString("currency")
        let principal = try body.requiredInt("principal_minor")
        let interest = try body.optionalInt("interest_minor") ?? 0
        let fees = try body.optionalInt("fees_minor") ?? 0
        let delinquentSince = try body.requiredString("delinquent_since")
        let jurisdiction = try body.requiredString("jurisdiction")
        let assignedTo = try body.optionalString("assigned_to")
        let team = try body.optionalString("team")
        let priority = try body.optionalEnum("priority", Priority.self) ?? .normal
        let tags = try Self.tags(&body) ?? []
        // Absent fields are already reported; the draft's stand-ins only let the rest be checked now.
        let draft = NewCase(
            debtorID: DebtorID(debtorID ?? ""), creditor: creditor ?? "", externalRef: externalRef ?? "", currency: currency ?? "",
            principalMinor: principal ?? 0, interestMinor: interest, feesMinor: fees, delinquentSince: delinquentSince ?? "",
            jurisdiction: jurisdiction ?? "", assignedTo: assignedTo, team: team, priority: priority, tags: tags)
        body.merge(try cases.validate(draft))
        try body.finish()
        let debtCase = try cases.create(draft, by: actor)
        return Reply.json(.created, etag: debtCase.version, location: "/v1/cases/\(debtCase.id)") { CaseJSON.write(debtCase, to: &$0) }
    }

    static func tags(_ body: inout JSONBody) throws -> [String]? {
        guard let values = try body.optionalArray("tags") else { return nil }
        return try values.enumerated().map { index, value in
            guard case .string(let tag) = value else { throw APIError.badRequest("tags[\(index)] must be a string", field: "tags[\(index)]") }
            return tag
        }
    }

    func list(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let (filter, pageRequest) = try request.listQuery(.id("case")) { try Self.filter(request) }
        let page = try cases.list(filter, page: pageRequest, by: actor)
        return Reply.page(page) { writer, debtCase in CaseJSON.write(debtCase, to: &writer) }
    }

    static func filter(_ request: HTTPRequest) throws -> CaseFilter {
        let query = request.queryParameters
        var failure = ValidationFailure()
        var filter = CaseFilter()
        if let text = query["status"] {
            filter.status = CaseStatus(rawValue: text)
            if filter.status == nil { failure.add("status", "must be one of " + CaseStatus.allCases.map(\.rawValue).joined(separator: ", ")) }
        }
        if let text = query["segment"] {
            filter.segment = Segment(rawValue: text)
            if filter.segment == nil { failure.add("segment", "must be one of " + Segment.allCases.map(\.rawValue).joined(separator: ", ")) }
        }
        filter.assignedTo = query.filter("assigned_to")
        filter.debtorID = query.filter("debtor_id").map { DebtorID($0) }
        filter.team = query.filter("team")
        try failure.throwIfAny()
        return filter
    }

    func get(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let (debtCase, debtor) = try cases.get(CaseID(context.parameter("id")), by: actor)
        return Reply.json(etag: debtCase.version) { CaseJSON.write(debtCase, debtor: debtor, to: &$0) }
    }

    func update(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        var body = try JSONBody(request)
        var changes = CaseChanges()
        if body.has("assigned_to") { changes.assignedTo = .some(try body.optionalString("assigned_to")) }
        if body.has("team") { changes.team = .some(try body.optionalString("team")) }
        if body.has("priority") {
            changes.priority = try body.optionalEnum("priority", Priority.self)
            if body.value("priority") == .null { body.fail("priority", "must not be null") }
        }
        if body.has("tags") {
            changes.tags = try Self.tags(&body)
            if body.value("tags") == .null { body.fail("tags", "must not be null; send [] for none") }
        }
        if body.has("segment_override") {
            changes.segmentOverride = .some(try body.optionalEnum("segment_override", Segment.self))
        }
        try body.finish(alsoChecking: cases.validate(changes))
        let debtCase = try cases.update(CaseID(context.parameter("id")), changes: changes, ifMatch: request.ifMatchVersions(), by: actor)
        return Reply.json(etag: debtCase.version) { CaseJSON.write(debtCase, to: &$0) }
    }

    func transition(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        // Decoded now, reported only once the service has checked the right and found the case.
        let decoded = Result { () throws -> (CaseStatus, String?) in
            var body = try JSONBody(request)
            let target = try body.requiredEnum("to", CaseStatus.self)
            let reason = try body.optionalString("reason")
            return (try body.finish(target), reason)
        }
        let debtCase = try cases.transition(CaseID(context.parameter("id")), by: actor) { try decoded.get() }
        return Reply.json(etag: debtCase.version) { CaseJSON.write(debtCase, to: &$0) }
    }

    func openDispute(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let decoded = Result { () throws -> String in
            var body = try JSONBody(request)
            // Read first, then finish: `finish` must see the failure the read records.
            let required = try body.requiredString("reason")
            return try body.finish(required)
        }
        let (_, dispute) = try cases.openDisputeReturningDispute(CaseID(context.parameter("id")), by: actor) { try decoded.get() }
        return Reply.json(.created, location: "/v1/cases/\(dispute.caseID)/disputes/\(dispute.id)") { CaseJSON.write(dispute, to: &$0) }
    }

    func disputes(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let disputes = try cases.disputes(CaseID(context.parameter("id")), page: request.pageRequest(.id("dsp")), by: actor)
        return Reply.page(disputes) { writer, dispute in CaseJSON.write(dispute, to: &writer) }
    }

    func dispute(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let dispute = try cases.dispute(CaseID(context.parameter("id")), disputeID: DisputeID(context.parameter("dispute_id")), by: actor)
        return Reply.json { CaseJSON.write(dispute, to: &$0) }
    }

    func resolveDispute(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        var body = try JSONBody(request)
        let outcome = try body.requiredString("outcome")
        let note = try body.optionalString("note")
        var status: Dispute.Status?
        if let outcome {
            status = outcome == "upheld" ? .upheld : outcome == "rejected" ? .rejected : nil
            if status == nil { body.fail("outcome", "must be upheld or rejected") }
        }
        let resolvedAs = try body.finish(status)
        let dispute = try cases.resolveDispute(CaseID(context.parameter("id")), disputeID: DisputeID(context.parameter("dispute_id")),
                                               outcome: resolvedAs, note: note, by: actor)
        return Reply.json { CaseJSON.write(dispute, to: &$0) }
    }

    func timeline(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let events = try cases.timeline(CaseID(context.parameter("id")), page: request.pageRequest(.timelinePosition), by: actor)
        return Reply.page(events) { writer, event in CaseJSON.write(event, to: &writer) }
    }

    func statement(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let statement = try services.money.statement(caseID: CaseID(context.parameter("id")), by: actor)
        return Reply.json { CaseJSON.writeStatement(statement, agency: services.portal.agency, to: &$0) }
    }
}
