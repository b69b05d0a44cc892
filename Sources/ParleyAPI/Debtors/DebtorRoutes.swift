import ParleyCore
import ParleyHTTP

/// Debtors (contract §4).
struct DebtorRoutes {
    let services: APIServices
    var debtors: DebtorService { services.debtors }

    func register(in router: Router) {
        router.post("/v1/debtors", handler: services.idempotent(required: false, .writeDebtorsAndCases, create))
        router.get("/v1/debtors", handler: services.secured(list))
        router.get("/v1/debtors/{id}", handler: services.secured(get))
        router.patch("/v1/debtors/{id}", handler: services.secured(update))
    }

    func create(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        var body = try JSONBody(request)
        let draft = try DebtorJSON.draft(from: &body, creating: true)
        try body.finish(alsoChecking: DebtorService.validate(draft, creating: true))
        let debtor = try debtors.create(draft, by: actor)
        return Reply.json(.created, etag: debtor.version, location: "/v1/debtors/\(debtor.id)") { DebtorJSON.write(debtor, to: &$0) }
    }

    func list(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let query = request.queryParameters
        var failure = ValidationFailure()
        let segment = query["segment"].flatMap { text -> String? in
            if Segment(rawValue: text) == nil { failure.add("segment", "must be one of " + Segment.allCases.map(\.rawValue).joined(separator: ", ")) }
            return text
        }
        let pageRequest = request.pageRequest(.id("dbt"), failure: &failure)
        try failure.throwIfAny()
        let page = try debtors.list(DebtorFilter(query: query["q"], segment: segment), page: pageRequest, by: actor)
        return Reply.page(page) { writer, debtor in DebtorJSON.write(debtor, to: &writer) }
    }

    func get(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let debtor = try debtors.get(DebtorID(context.parameter("id")), by: actor)
        return Reply.json(etag: debtor.version) { DebtorJSON.write(debtor, to: &$0) }
    }

    func update(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        // Decoded now, reported only once the service has checked the right and found the debtor.
        let decoded = Result { () throws -> DebtorService.Draft in
            var body = try JSONBody(request)
            let draft = try DebtorJSON.draft(from: &body, creating: false)
            try body.finish(alsoChecking: DebtorService.validate(draft, creating: false))
            return draft
        }
        let debtor = try debtors.update(DebtorID(context.parameter("id")), ifMatch: request.ifMatchVersions(), by: actor) {
            try decoded.get()
        }
        return Reply.json(etag: debtor.version) { DebtorJSON.write(debtor, to: &$0) }
    }
}
