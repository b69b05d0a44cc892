import Logging

/// The frozen route tree, serving requests: match, run the middleware chain, render errors.
public struct RouterResponder: HTTPResponder {
    let root: RouteNode
    let middleware: [any HTTPMiddleware]
    let logger: Logger
    let renderError: @Sendable (any Error, RequestContext) -> HTTPResponse
    /// A handful at most (`/health`): compared in place, with no copy of the request's path.
    let pathsAnsweredOnLoop: [String]

    enum Match {
        case route(Router.Route, [String: String])
        case methodNotAllowed(allowed: [String])
        case options(allowed: [String])
        case notFound
    }

    /// The methods some route answers, from the route tree; `OPTIONS *` lists them.
    var implementedMethods: [String] {
        var all = root.allMethods
        if all.contains("GET") { all.insert("HEAD") }
        all.insert("OPTIONS")
        return all.sorted()
    }

    /// Any method a path does not serve is 405 with `Allow`, an unknown one too: RFC 9110 §9.1
    /// suggests 501 for those, but nginx and API clients (schemathesis among them) expect 405.
    /// CONNECT, whose target is no path, is 405 as in nginx: no tunnel is ever opened.
    func match(method: String, path: Substring) -> Match {
        guard path.first == "/" else {
            if method == "OPTIONS" && path == "*" { return .options(allowed: implementedMethods) }
            return method == "CONNECT" ? .methodNotAllowed(allowed: implementedMethods) : .notFound
        }
        var found: [(name: String, value: String)] = []
        guard let node = root.find(path.utf8, from: path.utf8.index(after: path.startIndex), parameters: &found),
              !node.methods.isEmpty else {
            return .notFound
        }
        var parameters: [String: String] = [:]
        for parameter in found { parameters[parameter.name] = parameter.value }
        if let route = node.methods[method] { return .route(route, parameters) }
        if method == "HEAD", let route = node.methods["GET"] { return .route(route, parameters) }
        var allowed = Set(node.methods.keys)
        if allowed.contains("GET") { allowed.insert("HEAD") }
        allowed.insert("OPTIONS")
        let sorted = allowed.sorted()
        return method == "OPTIONS" ? .options(allowed: sorted) : .methodNotAllowed(allowed: sorted)
    }

    public func bodyLimit(for head: HTTPRequestHead) -> Int? {
        if case .route(let route, _) = match(method: head.method, path: head.path) { return route.bodyLimit }
        return nil
    }

    public func answersOnLoop(_ head: HTTPRequestHead) -> Bool {
        !pathsAnsweredOnLoop.isEmpty && (head.method == "GET" || head.method == "HEAD")
            && pathsAnsweredOnLoop.contains { head.path == $0 }
    }

    public func respond(to request: HTTPRequest) -> HTTPResponse {
        let matched = match(method: request.method, path: request.path)
        var context: RequestContext
        let endpoint: (HTTPRequest, inout RequestContext) throws -> HTTPResponse
        switch matched {
        case .route(let route, let parameters):
            context = RequestContext(route: route.pattern, parameters: parameters, logger: logger)
            endpoint = route.handler
        case .methodNotAllowed(let allowed):
            context = RequestContext(route: "unmatched", parameters: [:], logger: logger)
            endpoint = { request, _ in
                var headers = HTTPHeaders()
                headers.add("Allow", allowed.joined(separator: ", "))
                throw HTTPError(.methodNotAllowed, "\(request.method) is not allowed here; allowed: \(allowed.joined(separator: ", "))",
                                headers: headers)
            }
        case .options(let allowed):
            context = RequestContext(route: "options", parameters: [:], logger: logger)
            endpoint = { _, _ in
                var headers = HTTPHeaders()
                if !allowed.isEmpty { headers.add("Allow", allowed.joined(separator: ", ")) }
                return HTTPResponse(status: .noContent, headers: headers)
            }
        case .notFound:
            context = RequestContext(route: "unmatched", parameters: [:], logger: logger)
            endpoint = { request, _ in throw HTTPError(.notFound, "no resource at \(request.path)") }
        }
        let render = renderError
        // Errors become responses inside the chain, so logging and metrics middleware see the real status.
        let guarded: (HTTPRequest, inout RequestContext) throws -> HTTPResponse = { request, context in
            do { return try endpoint(request, &context) } catch { return render(error, context) }
        }
        do {
            return try runChain(index: 0, request: request, context: &context, endpoint: guarded)
        } catch {
            return render(error, context)
        }
    }

    private func runChain(
        index: Int, request: HTTPRequest, context: inout RequestContext,
        endpoint: (HTTPRequest, inout RequestContext) throws -> HTTPResponse
    ) throws -> HTTPResponse {
        guard index < middleware.count else { return try endpoint(request, &context) }
        return try middleware[index].handle(request, context: &context) { request, context in
            try runChain(index: index + 1, request: request, context: &context, endpoint: endpoint)
        }
    }
}
