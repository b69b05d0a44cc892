/// A response to write: status, header fields and the body.
///
/// `Content-Length`, `Date` and `Connection` are added by the server; handlers set the rest.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: Body

    public enum Body: Sendable {
        /// A body known in full; sent with `Content-Length`.
        case bytes([UInt8])
        /// A body produced piece by piece off the event loop; sent with `Transfer-Encoding: chunked`.
        /// The producer calls the writer for each piece; a thrown error aborts the connection.
        case stream(@Sendable (_ write: (ArraySlice<UInt8>) throws -> Void) throws -> Void)
    }

    public init(status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = .bytes(body)
    }

    public init(status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders(), stream: Body) {
        self.status = status
        self.headers = headers
        self.body = stream
    }

    /// The bytes of a `.bytes` body; empty for a stream.
    public var bodyBytes: [UInt8] {
        if case .bytes(let bytes) = body { return bytes }
        return []
    }

    /// Whether the body is streamed (its size and time are known only once it has been written).
    public var isStreamed: Bool {
        if case .stream = body { return true }
        return false
    }

    /// This response with its stream wrapped so that `finished` learns how many body bytes were
    /// produced, once the producer is done (or has failed); a `.bytes` body is left as it is.
    public func whenStreamFinishes(_ finished: @escaping @Sendable (_ bytes: Int) -> Void) -> HTTPResponse {
        guard case .stream(let produce) = body else { return self }
        var wrapped = self
        wrapped.body = .stream { write in
            var bytes = 0
            defer { finished(bytes) }
            try produce { piece in
                bytes += piece.count
                try write(piece)
            }
        }
        return wrapped
    }
}
