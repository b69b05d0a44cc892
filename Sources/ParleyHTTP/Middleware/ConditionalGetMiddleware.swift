/// `If-None-Match` on reads (RFC 9110 §13.1.2, §13.2): a GET or HEAD whose answer would be 200
/// with an `ETag` the request names (weak comparison: `W/` aside), or any with `*`, is answered
/// 304 Not Modified, with the `ETag` and no content. Any other answer ignores the precondition, as
/// §13.2.1 requires. The handler still runs: the tag is the resource's version, known only once
/// it is read.
public struct ConditionalGetMiddleware: HTTPMiddleware {
    public init() {}

    public func handle(
        _ request: HTTPRequest, context: inout RequestContext,
        next: (HTTPRequest, inout RequestContext) throws -> HTTPResponse
    ) throws -> HTTPResponse {
        let response = try next(request, &context)
        guard request.method == "GET" || request.method == "HEAD", response.status.code == 200,
              let condition = request.headers["if-none-match"], let tag = response.headers["ETag"],
              Self.matches(condition, tag) else { return response }
        var headers = HTTPHeaders()
        for name in ["ETag", "Cache-Control", "Vary"] {
            if let value = response.headers[name] { headers.add(name, value) }
        }
        return HTTPResponse(status: .notModified, headers: headers)
    }

    /// Whether the `If-None-Match` value names `tag`: `*`, or a list of entity tags one of which
    /// is `tag` by weak comparison.
    static func matches(_ condition: String, _ tag: String) -> Bool {
        let wanted = opaque(tag)
        for item in condition.split(separator: ",") {
            let candidate = item.trimmingCharacters(in: " \t")
            if candidate == "*" || opaque(candidate) == wanted { return true }
        }
        return false
    }

    private static func opaque(_ tag: some StringProtocol) -> Substring {
        let text = Substring(tag)
        return text.hasPrefix("W/") ? text.dropFirst(2) : text
    }
}

private extension StringProtocol {
    func trimmingCharacters(in set: String) -> Substring {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return text
    }
}
