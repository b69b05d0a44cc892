import ParleyHTTP

/// Building a debtor page response: every page carries the same security headers.
enum PageReply {
    /// No script, no frame, no plug-in, no image or font from anywhere; only the one stylesheet
    /// (by hash) and form posts back to this origin.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src \(PageStyle.hashSource); form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    static func html(_ status: HTTPStatus, _ document: HTML, headers extra: [(String, String)] = []) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Content-Type", "text/html; charset=utf-8")
        headers.add("Content-Security-Policy", contentSecurityPolicy)
        headers.add("X-Content-Type-Options", "nosniff")
        headers.add("Referrer-Policy", "no-referrer")
        headers.add("Cache-Control", "no-store")
        headers.add("X-Frame-Options", "DENY")
        for (name, value) in extra { headers.add(name, value) }
        return HTTPResponse(status: status, headers: headers, body: Array(document.markup.utf8))
    }
}
