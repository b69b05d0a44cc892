import ParleyCore
import ParleyHTTP

/// Templates, messages and the job runner (contract §8).
struct MessageRoutes {
    let services: APIServices
    var messages: MessageService { services.messages }

    func register(in router: Router) {
        router.get("/v1/templates", handler: services.secured(.readPolicy, listTemplates))
        router.get("/v1/templates/{name}", handler: services.secured(.readPolicy, getTemplate))
        router.put("/v1/templates/{name}", handler: services.secured(.writePolicy, saveTemplate))
        router.post("/v1/cases/{id}/messages", handler: services.idempotent(required: false, .logCaseActivity, send))
        router.get("/v1/cases/{id}/messages", handler: services.secured(listForCase))
        router.get("/v1/messages", handler: services.secured(list))
        router.get("/v1/messages/{id}", handler: services.secured(get))
        router.post("/v1/jobs/{name}/run", handler: services.secured(.manageUsers, runJob))
    }

    func saveTemplate(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        var body = try JSONBody(request)
        let channel = try body.requiredEnum("channel", MessageChannel.self)
        let text = try body.requiredString("body")
        let subject = try body.optionalString("subject")
        try body.finish(alsoChecking: MessageService.validateTemplate(
            name: context.parameter("name"), channel: channel, subject: subject, body: text))
        let (channelValue, bodyValue) = try body.finish(channel, text)
        let (template, created) = try messages.saveTemplate(
            name: context.parameter("name"), channel: channelValue, subject: subject, body: bodyValue,
            ifMatch: request.ifMatchVersions(), by: actor)
        return Reply.json(created ? .created : .ok, etag: template.version,
                          location: created ? "/v1/templates/\(template.name)" : nil) { MessageJSON.write(template, to: &$0) }
    }

    func getTemplate(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let template = try messages.template(named: context.parameter("name"), by: actor)
        return Reply.json(etag: template.version) { MessageJSON.write(template, to: &$0) }
    }

    func listTemplates(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let page = try messages.listTemplates(page: request.pageRequest(.templateName), by: actor)
        return Reply.page(page) { writer, template in MessageJSON.write(template, to: &writer) }
    }

    func send(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        _ = try services.cases.visibleCase(CaseID(context.parameter("id")), by: actor)
        var body = try JSONBody(request)
        let channel = try body.requiredEnum("channel", MessageChannel.self)
        let template = try body.optionalString("template")
        let subject = try body.optionalString("subject")
        let text = try body.optionalString("body")
        if template == nil && text == nil { body.fail("body", "send a template name or a body") }
        if template != nil && (text != nil || subject != nil) { body.fail("template", "send a template or a subject and body, not both") }
        if template == nil { try body.finish(alsoChecking: MessageService.validateText(channel: channel, subject: subject, body: text)) }
        let channelValue = try body.finish(channel)
        let content: MessageService.Content = template.map { .template($0) } ?? .text(subject: subject, body: text ?? "")
        let message = try messages.send(caseID: CaseID(context.parameter("id")), channel: channelValue, content: content, by: actor)
        return Reply.json(.accepted, location: "/v1/messages/\(message.id)") { MessageJSON.write(message, to: &$0) }
    }

    func listForCase(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        var (filter, pageRequest) = try request.listQuery(.id("msg")) { try Self.filter(request) }
        filter.caseID = CaseID(context.parameter("id"))
        let page = try messages.list(filter, page: pageRequest, by: actor)
        return Reply.page(page) { writer, message in MessageJSON.write(message, to: &writer) }
    }

    func list(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let (filter, pageRequest) = try request.listQuery(.id("msg")) { try Self.filter(request) }
        let page = try messages.list(filter, page: pageRequest, by: actor)
        return Reply.page(page) { writer, message in MessageJSON.write(message, to: &writer) }
    }

    static func filter(_ request: HTTPRequest) throws -> MessageFilter {
        let query = request.queryParameters
        var failure = ValidationFailure()
        var filter = MessageFilter(caseID: query.filter("case_id").map { CaseID($0) })
        if let text = query["status"] {
            filter.status = Message.Status(rawValue: text)
            if filter.status == nil { failure.add("status", "must be one of " + Message.Status.allCases.map(\.rawValue).joined(separator: ", ")) }
        }
        try failure.throwIfAny()
        return filter
    }

    func get(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let message = try messages.get(MessageID(context.parameter("id")), by: actor)
        return Reply.json { MessageJSON.write(message, to: &$0) }
    }

    func runJob(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        var body = try JSONBody.ifPresent(request)
        let asOf = try body?.optionalInstant("as_of")
        try body?.finish()
        let name = context.parameter("name")
        let (used, report) = try services.jobs.run(name, asOf: asOf, by: actor)
        return Reply.json { writer in
            writer.beginObject()
            writer.field("job", name)
            writer.field("as_of", used)
            writer.key("result")
            writer.beginObject()
            for (key, count) in report {
                writer.key(dynamic: key)
                writer.int(count)
            }
            writer.endObject()
            writer.endObject()
        }
    }
}

enum MessageJSON {
    static func write(_ template: Template, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("name", template.name)
        writer.field("channel", template.channel.rawValue)
        writer.field("subject", template.subject)
        writer.field("body", template.body)
        writer.field("version", template.version)
        writer.field("updated_at", template.updatedAt)
        writer.endObject()
    }

    static func write(_ message: Message, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", message.id)
        writer.field("case_id", message.caseID)
        writer.field("channel", message.channel.rawValue)
        writer.field("status", message.status.rawValue)
        writer.field("to", message.to)
        writer.field("subject", message.subject)
        writer.field("body", message.body)
        writer.field("template", message.template)
        writer.field("scheduled_for", message.scheduledFor)
        writer.field("attempts", message.attempts)
        writer.field("next_attempt_at", message.nextAttemptAt)
        writer.key("violations")
        ComplianceJSON.write(message.violations, to: &writer)
        writer.field("sent_at", message.sentAt)
        writer.field("last_error", message.lastError)
        writer.field("communication_id", message.communicationID)
        writer.field("created_at", message.createdAt)
        writer.endObject()
    }
}
