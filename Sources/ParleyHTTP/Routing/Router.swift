import Logging

/// Collects routes and middleware at start-up; `responder(renderError:logger:)` freezes them into
/// an immutable `RouterResponder` for serving.
///
/// Patterns are literal segments and `{name}` parameters: `/v1/cases/{id}/payments`.
public final class Router {
    struct Route: Sendable {
        let pattern: String
        let bodyLimit: Int?
        let handler: HTTPHandler
    }

    /// Literal paths whose GET (and HEAD) the event loop answers itself (`get(_:answersOnLoop:handler:)`).
    private var pathsAnsweredOnLoop: [String] = []

    private var root = RouteNode()
    private var middleware: [any HTTPMiddleware] = []

    public init() {}

    /// Adds middleware; it wraps every route, in the order added (first added is outermost).
    public func use(_ middleware: any HTTPMiddleware) { self.middleware.append(middleware) }

    /// Registers `handler` for `method` and `pattern`; `bodyLimit` raises the default body limit.
    public func on(_ method: String, _ pattern: String, bodyLimit: Int? = nil, handler: @escaping HTTPHandler) {
        let segments = pattern.split(separator: "/").map(String.init)
        root.insert(segments[...], method: method, route: Route(pattern: pattern, bodyLimit: bodyLimit, handler: handler))
    }

    public func get(_ pattern: String, handler: @escaping HTTPHandler) { on("GET", pattern, handler: handler) }

    /// Registers a GET that the event loop answers itself, without handing it to a handler thread:
    /// only for handlers that never wait (no database call that can block, no lock held long), since
    /// every connection of that loop waits while it runs. The middleware runs as for any route.
    public func get(_ pattern: String, answersOnLoop: Bool, handler: @escaping HTTPHandler) {
        precondition(!pattern.contains("{"), "only a literal path is answered on the loop: \(pattern)")
        on("GET", pattern, handler: handler)
        if answersOnLoop { pathsAnsweredOnLoop.append(pattern) }
    }
    public func post(_ pattern: String, bodyLimit: Int? = nil, handler: @escaping HTTPHandler) {
        on("POST", pattern, bodyLimit: bodyLimit, handler: handler)
    }
    public func put(_ pattern: String, handler: @escaping HTTPHandler) { on("PUT", pattern, handler: handler) }
    public func patch(_ pattern: String, handler: @escaping HTTPHandler) { on("PATCH", pattern, handler: handler) }
    public func delete(_ pattern: String, handler: @escaping HTTPHandler) { on("DELETE", pattern, handler: handler) }

    /// Freezes the routes.
    /// - Parameters:
    ///   - renderError: turns any thrown error into a response (problem+json in Parley).
    public func responder(
        logger: Logger, renderError: @escaping @Sendable (any Error, RequestContext) -> HTTPResponse
    ) -> RouterResponder {
        RouterResponder(root: root, middleware: middleware, logger: logger, renderError: renderError,
                        pathsAnsweredOnLoop: pathsAnsweredOnLoop)
    }
}

/// One segment level of the route tree.
struct RouteNode: Sendable {
    var literals: [String: RouteNode] = [:]
    var parameterName: String?
    var parameterChild: [RouteNode] = []  // zero or one element (a struct cannot hold itself directly)
    var methods: [String: Router.Route] = [:]

    mutating func insert(_ segments: ArraySlice<String>, method: String, route: Router.Route) {
        guard let first = segments.first else {
            methods[method] = route
            return
        }
        if first.hasPrefix("{") && first.hasSuffix("}") {
            let name = String(first.dropFirst().dropLast())
            precondition(parameterName == nil || parameterName == name, "conflicting parameter names at \(route.pattern)")
            parameterName = name
            if parameterChild.isEmpty { parameterChild = [RouteNode()] }
            parameterChild[0].insert(segments.dropFirst(), method: method, route: route)
        } else {
            literals[first, default: RouteNode()].insert(segments.dropFirst(), method: method, route: route)
        }
    }

    /// Finds the node for a path; literal segments win over parameters.
    func find(_ segments: ArraySlice<Substring>, parameters: inout [String: String]) -> RouteNode? {
        guard let first = segments.first else { return self }
        if let literal = literals[String(first)], let found = literal.find(segments.dropFirst(), parameters: &parameters) {
            return found
        }
        if let name = parameterName, let child = parameterChild.first, !first.isEmpty {
            guard let decoded = QueryParameters.decodePath(first) else { return nil }
            parameters[name] = decoded
            if let found = child.find(segments.dropFirst(), parameters: &parameters) { return found }
            parameters[name] = nil
        }
        return nil
    }
}

extension QueryParameters {
    /// Percent-decodes a path segment (`+` stays a plus in paths).
    static func decodePath(_ segment: Substring) -> String? {
        guard segment.contains("%") else { return String(segment) }
        return decode(Substring(segment.replacingOccurrences(of: "+", with: "%2B")))
    }
}

extension Substring {
    fileprivate func replacingOccurrences(of target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
