/// Turns a handler's response into wire bytes: HEAD and 204/304 without a body, gzip when the
/// client accepts it and it pays off, and the framing fields the server owns.
struct ResponseFinalizer {
    let requestHead: HTTPRequestHead
    let keepAlive: Bool
    let date: [UInt8]

    /// The complete bytes for a `.bytes` body.
    func encode(_ response: HTTPResponse) -> [UInt8] {
        var response = response
        var body = response.bodyBytes
        if response.status.forbidsBody {
            body = []
        } else {
            body = compressIfWorthwhile(&response, body)
        }
        var out: [UInt8] = []
        let sendsBody = requestHead.method != "HEAD" && !response.status.forbidsBody
        out.reserveCapacity(256 + (sendsBody ? body.count : 0))
        ResponseEncoder.encodeHead(
            response, bodyLength: body.count, keepAlive: keepAlive, date: date, version: requestHead.version,
            into: &out)
        if sendsBody { out.append(contentsOf: body) }
        return out
    }

    /// The head of a streamed (chunked) response.
    func encodeStreamHead(_ response: HTTPResponse) -> [UInt8] {
        var out: [UInt8] = []
        ResponseEncoder.encodeHead(
            response, bodyLength: nil, keepAlive: keepAlive, date: date, version: requestHead.version, into: &out)
        return out
    }

    private func compressIfWorthwhile(_ response: inout HTTPResponse, _ body: [UInt8]) -> [UInt8] {
        guard body.count > ResponseEncoder.compressionThreshold,
              !response.headers.contains("Content-Encoding"),
              ResponseEncoder.isCompressible(response.headers["Content-Type"])
        else { return body }
        response.headers.add("Vary", "Accept-Encoding")
        guard let accept = requestHead.headers["accept-encoding"], Gzip.isAccepted(by: accept),
              let compressed = Gzip.compress(body)
        else { return body }
        response.headers.add("Content-Encoding", "gzip")
        return compressed
    }
}
