import ParleyCore
import ParleyHTTP

/// The audit log (contract §14): compliance and admin.
struct AuditRoutes {
    let services: APIServices

    func register(in router: Router) {
        router.get("/v1/audit", handler: services.secured(list))
        router.get("/v1/audit/verify", handler: services.secured(verify))
    }

    func list(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let query = request.queryParameters
        var failure = ValidationFailure()
        let filter = AuditFilter(
            entityID: query.filter("entity_id"), actor: query.filter("actor"),
            from: request.instantParameter("from", failure: &failure), to: request.instantParameter("to", failure: &failure))
        let pageRequest = request.pageRequest(.auditSequence, failure: &failure)
        try failure.throwIfAny()
        let page = try services.audit.entries(filter, page: pageRequest, by: actor)
        return Reply.page(page) { writer, entry in
            writer.beginObject()
            writer.field("seq", entry.seq)
            writer.field("at", entry.at)
            writer.field("actor", entry.actor)
            writer.field("action", entry.action)
            writer.field("entity", entry.entity)
            writer.field("entity_id", entry.entityID)
            writer.field("detail", entry.detail)
            writer.field("hash", entry.hash)
            writer.endObject()
        }
    }

    func verify(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let result = try services.audit.verify(by: actor)
        return Reply.json { writer in
            writer.beginObject()
            writer.field("ok", result.ok)
            writer.field("entries", result.entries)
            if let broken = result.brokenAtSeq { writer.field("broken_at_seq", broken) }
            writer.endObject()
        }
    }
}
