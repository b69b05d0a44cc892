/// The protocol version of a request; only HTTP/1.0 and HTTP/1.1 are served.
public struct HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)
    public var description: String { "HTTP/\(major).\(minor)" }
}

/// A request's method, target and header fields, as parsed from the wire.
public struct HTTPRequestHead: Sendable {
    public var method: String
    /// The request target exactly as sent (origin-form for almost every request).
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders

    public init(method: String, target: String, version: HTTPVersion, headers: HTTPHeaders) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
    }

    /// The target's path, without the query. (This and `query` split at the first `?` by bytes:
    /// it is ASCII, and a scan of Characters would break the target into graphemes every time.)
    public var path: Substring {
        if let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) { return target[..<mark] }
        return target[...]
    }

    /// The raw query string after `?`, or nil when there is none.
    public var query: Substring? {
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return nil }
        return target[target.utf8.index(after: mark)...]
    }
}

/// A complete request: head plus the whole body (bodies are size-limited, so they are buffered).
public struct HTTPRequest: Sendable {
    public var head: HTTPRequestHead
    public var body: [UInt8]
    /// The peer's address, for logging and per-client limits.
    public var remoteAddress: String

    public init(head: HTTPRequestHead, body: [UInt8], remoteAddress: String = "") {
        self.head = head
        self.body = body
        self.remoteAddress = remoteAddress
    }

    public var method: String { head.method }
    public var headers: HTTPHeaders { head.headers }
    public var path: Substring { head.path }

    /// Decoded query parameters; a repeated name keeps its first value.
    public var queryParameters: QueryParameters { QueryParameters(head.query ?? "") }
}
