import ParleyJSON

/// The one writer of RFC 9457 problem documents: the HTTP layer's own errors (malformed requests,
/// limits, unknown routes) and the API's, so every error a client sees has one shape.
public enum ProblemBody {
    public static func make(status: HTTPStatus, detail: String, requestID: String? = nil,
                            extra: (inout JSONWriter) -> Void = { _ in }) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("type", "about:blank")
        writer.field("title", status.reasonPhrase)
        writer.field("status", status.code)
        writer.field("detail", detail)
        if let requestID, !requestID.isEmpty { writer.field("request_id", requestID) }
        extra(&writer)
        writer.endObject()
        return writer.bytes
    }

    /// A complete problem response with its content type and request id.
    public static func response(status: HTTPStatus, detail: String, requestID: String,
                                extra: (inout JSONWriter) -> Void = { _ in }) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/problem+json")
        if !requestID.isEmpty { headers.add("X-Request-Id", requestID) }
        return HTTPResponse(status: status, headers: headers, body: make(status: status, detail: detail, requestID: requestID, extra: extra))
    }
}
