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

    private let root = RouteNode()
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
        RouterResponder(root: root.frozenCopy(), middleware: middleware, logger: logger, renderError: renderError,
                        pathsAnsweredOnLoop: pathsAnsweredOnLoop)
    }
}

/// One segment level of the route tree. A class, so matching walks the tree without copying
/// nodes; the router builds it, and `frozenCopy()` gives the responder a tree no later
/// registration can change.
final class RouteNode: @unchecked Sendable {
    // @unchecked: mutated only while a `Router` registers routes; a responder holds a frozen copy
    // that nothing mutates.
    private(set) var literals: [(segment: [UInt8], node: RouteNode)] = []
    private(set) var parameterName: String?
    private(set) var parameterChild: RouteNode?
    private(set) var methods: [String: Router.Route] = [:]

    init() {}

    func insert(_ segments: ArraySlice<String>, method: String, route: Router.Route) {
        guard let first = segments.first else {
            methods[method] = route
            return
        }
        if first.hasPrefix("{") && first.hasSuffix("}") {
            let name = String(first.dropFirst().dropLast())
            precondition(parameterName == nil || parameterName == name, "conflicting parameter names at \(route.pattern)")
            parameterName = name
            let child = parameterChild ?? RouteNode()
            parameterChild = child
            child.insert(segments.dropFirst(), method: method, route: route)
        } else {
            let bytes = Array(first.utf8)
            let child = literals.first { $0.segment == bytes }?.node ?? {
                let node = RouteNode()
                literals.append((bytes, node))
                return node
            }()
            child.insert(segments.dropFirst(), method: method, route: route)
        }
    }

    /// Every method some route under this node answers (with HEAD where GET is, and OPTIONS).
    var allMethods: Set<String> {
        var all = Set(methods.keys)
        for (_, node) in literals { all.formUnion(node.allMethods) }
        if let parameterChild { all.formUnion(parameterChild.allMethods) }
        return all
    }

    func frozenCopy() -> RouteNode {
        let copy = RouteNode()
        copy.literals = literals.map { ($0.segment, $0.node.frozenCopy()) }
        copy.parameterName = parameterName
        copy.parameterChild = parameterChild?.frozenCopy()
        copy.methods = methods
        return copy
    }

    /// Finds the node for the path's segments from `start` (just after a `/`) to its end; literal
    /// segments win over parameters. Matched parameters, percent-decoded, are appended to
    /// `parameters` (and taken off again when their branch fails). Works on the path's UTF-8:
    /// segments end at an ASCII `/`, so no character boundaries need finding.
    func find(_ path: Substring.UTF8View, from start: Substring.UTF8View.Index,
              parameters: inout [(name: String, value: String)]) -> RouteNode? {
        let end = path[start...].firstIndex(of: UInt8(ascii: "/")) ?? path.endIndex
        let segment = path[start..<end]
        // The next segment starts after the slash; a path ending in a slash has an empty last one.
        let next: Substring.UTF8View.Index? = end == path.endIndex ? nil : path.index(after: end)
        func descend(_ node: RouteNode) -> RouteNode? {
            guard let next else { return node }
            return node.find(path, from: next, parameters: &parameters)
        }
        if let literal = literals.first(where: { $0.segment.elementsEqual(segment) }), let found = descend(literal.node) {
            return found
        }
        if let name = parameterName, let child = parameterChild, !segment.isEmpty {
            guard let decoded = QueryParameters.decodePath(segment) else { return nil }
            parameters.append((name, decoded))
            if let found = descend(child) { return found }
            parameters.removeLast()
        }
        return nil
    }
}

extension QueryParameters {
    /// Percent-decodes a path segment (`+` stays a plus in paths).
    static func decodePath(_ segment: Substring.UTF8View) -> String? {
        let text = String(decoding: segment, as: UTF8.self)
        guard segment.contains(UInt8(ascii: "%")) else { return text }
        return decode(Substring(Substring(text).replacingOccurrences(of: "+", with: "%2B")))
    }
}

extension Substring {
    fileprivate func replacingOccurrences(of target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
