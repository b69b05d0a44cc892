import ParleyCore
import ParleyHTTP

/// Statement links for debtors (contract §16): issue and revoke, with the rights to log activity
/// on the case. Both take `Idempotency-Key`: a replay of an issue answers the same link and token
/// (the recorded answer is sealed, so the token is not kept readable: `IdempotencySeal`).
struct PortalLinkRoutes {
    let services: APIServices
    var portal: PortalService { services.portal }

    func register(in router: Router) {
        router.post("/v1/cases/{id}/portal-links", handler: services.idempotent(required: false, .logCaseActivity, issue))
        router.post("/v1/portal-links/{id}/revoke", handler: services.idempotent(required: false, .logCaseActivity, revoke))
    }

    func issue(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        _ = try JSONBody.ifPresent(request)  // no fields: nothing, `{}`, or 415/400
        let issued = try portal.issue(caseID: CaseID(context.parameter("id")), by: actor)
        return Reply.json(.created) { writer in
            writer.beginObject()
            writer.field("id", issued.link.id)
            writer.field("case_id", issued.link.caseID)
            writer.field("url", issued.path)
            writer.field("expires_at", issued.link.expiresAt)
            writer.endObject()
        }
    }

    func revoke(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        _ = try JSONBody.ifPresent(request)  // no fields: nothing, `{}`, or 415/400
        let link = try portal.revoke(PortalLinkID(context.parameter("id")), by: actor)
        return Reply.json { writer in
            writer.beginObject()
            writer.field("id", link.id)
            writer.field("case_id", link.caseID)
            writer.field("expires_at", link.expiresAt)
            writer.field("revoked_at", link.revokedAt)
            writer.field("created_by", link.createdBy)
            writer.field("created_at", link.createdAt)
            writer.endObject()
        }
    }
}
