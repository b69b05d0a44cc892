/// A request refused before it reached a handler (bad framing, a limit, a timeout): answered with
/// a problem document and `Connection: close`.
struct ErrorResponse: Sendable, Equatable {
    let status: HTTPStatus
    let detail: String
    /// The refused request's version, or HTTP/1.1 when its request line was never read.
    let version: HTTPVersion
    /// The refused request's method, when its request line was read.
    let method: String?

    /// A HEAD request gets the head of the answer only.
    var isHeadRequest: Bool { method == "HEAD" }

    func encode(date: [UInt8], requestID: String = RequestID.make()) -> [UInt8] {
        let response = ProblemBody.response(status: status, detail: detail, requestID: requestID)
        let body = response.bodyBytes
        var out: [UInt8] = []
        ResponseEncoder.encodeHead(
            response, bodyLength: body.count, keepAlive: false, date: date, version: version, into: &out)
        if !isHeadRequest { out.append(contentsOf: body) }
        return out
    }
}
