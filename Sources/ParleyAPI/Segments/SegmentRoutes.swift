import ParleyCore
import ParleyHTTP

/// The assessment of a case and the playbooks (contract §11).
struct SegmentRoutes {
    let services: APIServices

    func register(in router: Router) {
        router.get("/v1/cases/{id}/assessment", handler: services.secured(assessment))
        router.get("/v1/playbooks", handler: services.secured(.readPolicy, playbooks))
    }

    func assessment(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let assessment = try services.segments.assessment(caseID: CaseID(context.parameter("id")), by: actor)
        return Reply.json { writer in writer.value(assessment.json, sortKeys: false) }
    }

    func playbooks(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let playbooks = try services.segments.playbooks(by: actor)
        return Reply.json { writer in writer.value(playbooks, sortKeys: false) }
    }
}
