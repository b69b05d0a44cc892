import ParleyCore
import ParleyHTTP

/// Users and API keys (contract §3).
struct UserRoutes {
    let services: APIServices
    var users: UserService { services.users }

    func register(in router: Router) {
        router.post("/v1/users", handler: services.idempotent(required: false, .manageUsers, create))
        router.get("/v1/users", handler: services.secured(list))
        router.get("/v1/users/{id}", handler: services.secured(get))
        router.patch("/v1/users/{id}", handler: services.secured(.manageUsers, update))
        router.post("/v1/users/{id}/keys", handler: services.idempotent(required: false, issueKey))
        router.delete("/v1/users/{id}/keys/{key_id}", handler: services.secured(revokeKey))
    }

    func create(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        var body = try JSONBody(request)
        let name = try body.requiredString("name")
        let role = try body.requiredEnum("role", Role.self)
        let team = try body.optionalString("team")
        try body.finish(alsoChecking: UserService.validate(name: name, team: .some(team)))
        let (userName, userRole) = try body.finish(name, role)
        let (user, key) = try users.create(NewUser(name: userName, role: userRole, team: team), by: actor)
        return Reply.json(.created, etag: user.version, location: "/v1/users/\(user.id)") { writer in
            UserJSON.write(user, to: &writer, issuedKey: key)
        }
    }

    func list(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let page = try users.list(page: request.pageRequest(.id("usr")), by: actor)
        return Reply.page(page) { writer, user in UserJSON.write(user, to: &writer) }
    }

    func get(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let user = try users.get(context.parameter("id"), by: actor)
        return Reply.json(etag: user.version) { UserJSON.write(user, to: &$0) }
    }

    func update(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        var body = try JSONBody(request)
        let role = try body.optionalEnum("role", Role.self)
        let team = try body.patchString("team")
        let active = try body.optionalBool("active")
        if body.has("role"), body.value("role") == .null { body.fail("role", "must not be null") }
        if body.has("active"), body.value("active") == .null { body.fail("active", "must not be null") }
        try body.finish(alsoChecking: UserService.validate(name: nil, team: team))
        let user = try users.update(
            context.parameter("id"), changes: UserChanges(role: role, team: team, active: active),
            ifMatch: request.ifMatchVersions(), by: actor)
        return Reply.json(etag: user.version) { UserJSON.write(user, to: &$0) }
    }

    func issueKey(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        // The body is optional and carries nothing, but one that is sent must be JSON (415, 400).
        let key = try users.issueKey(for: context.parameter("id"), by: actor) {
            _ = try JSONBody.ifPresent(request)
        }
        return Reply.json(.created) { writer in
            writer.beginObject()
            writer.field("id", key.id)
            writer.field("api_key", key.apiKey)
            writer.field("created_at", key.createdAt)
            writer.endObject()
        }
    }

    func revokeKey(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        try users.revokeKey(context.parameter("key_id"), of: context.parameter("id"), by: actor)
        return Reply.noContent()
    }
}

enum UserJSON {
    static func write(_ user: User, to writer: inout JSONWriter, issuedKey: IssuedKey? = nil) {
        writer.beginObject()
        writer.field("id", user.id)
        writer.field("name", user.name)
        writer.field("role", user.role.rawValue)
        writer.field("team", user.team)
        writer.field("active", user.active)
        writer.field("version", user.version)
        writer.field("created_at", user.createdAt)
        writer.field("updated_at", user.updatedAt)
        writer.key("keys")
        writer.beginArray()
        for key in user.keys {
            writer.beginObject()
            writer.field("id", key.id)
            writer.field("created_at", key.createdAt)
            writer.field("last4", key.last4)
            writer.endObject()
        }
        writer.endArray()
        if let issuedKey {
            writer.field("api_key", issuedKey.apiKey)
            writer.field("key_id", issuedKey.id)
        }
        writer.endObject()
    }
}
