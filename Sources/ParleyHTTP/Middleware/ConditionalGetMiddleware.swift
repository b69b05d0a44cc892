/// `If-None-Match` on reads (RFC 9110 §13.1.2, §13.2): a GET or HEAD whose answer would be 200
/// with an `ETag` the request names (weak comparison: `W/` aside), or any with `*`, is answered
/// 304 Not Modified, with the `ETag` and no content. Any other answer ignores the precondition, as
/// §13.2.1 requires. The handler still runs: the tag is the resource's version, known only once
/// it is read.
///
/// Only on the routes named: a resource's `ETag` is the version of its own row, made for
/// `If-Match` on writes, and a representation that embeds other rows (a case shows its debtor's
/// restrictions, a user their keys) can change under the same tag. A 304 there would tell a
/// client that stale restrictions are current.
public struct ConditionalGetMiddleware: HTTPMiddleware {
    /// Route patterns whose `ETag` changes with everything their representation shows.
    let routes: Set<String>

    public init(routes: Set<String>) { self.routes = routes }

    public func handle(
        _ request: HTTPRequest, context: inout RequestContext,
        next: (HTTPRequest, inout RequestContext) throws -> HTTPResponse
    ) throws -> HTTPResponse {
        let response = try next(request, &context)
        guard request.method == "GET" || request.method == "HEAD", response.status.code == 200, routes.contains(context.route),
              let condition = request.headers["if-none-match"], let tag = response.headers["ETag"],
              Self.matches(condition, tag) else { return response }
        var headers = HTTPHeaders()
        for name in ["ETag", "Cache-Control", "Vary"] {
            if let value = response.headers[name] { headers.add(name, value) }
        }
        // The 200 would have carried `Vary: Accept-Encoding` (added when the body is written); a
        // 304 must carry it too (RFC 9110 §15.4.5).
        if !headers.contains("Vary"), response.bodyBytes.count > ResponseEncoder.compressionThreshold,
           ResponseEncoder.isCompressible(response.headers["Content-Type"]) {
            headers.add("Vary", "Accept-Encoding")
        }
        return HTTPResponse(status: .notModified, headers: headers)
    }

    /// Whether the `If-None-Match` value names `tag`: `*`, or a list of entity tags one of which
    /// is `tag` by weak comparison.
    static func matches(_ condition: String, _ tag: String) -> Bool {
        let wanted = opaque(tag)
        for item in condition.split(separator: ",") {
            let candidate = trimmed(item)
            if candidate == "*" || opaque(candidate) == wanted { return true }
        }
        return false
    }

    private static func opaque(_ tag: some StringProtocol) -> Substring {
        let text = Substring(tag)
        return text.hasPrefix("W/") ? text.dropFirst(2) : text
    }

    private static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
