import ParleyHTTP
import Testing

/// Feeds `chunks` one after another, as separate reads, and returns the parsed request or error.
func parse(_ chunks: [[UInt8]], limits: HTTPLimits = HTTPLimits()) -> Result<(HTTPRequestHead, [UInt8]), HTTPParseError> {
    var parser = HTTPRequestParser(limits: limits)
    var buffer: [UInt8] = []
    var index = 0
    for chunk in chunks {
        buffer.append(contentsOf: chunk)
        while true {
            let event: HTTPRequestParser.Event
            do {
                event = try buffer.withUnsafeBufferPointer { pointer throws(HTTPParseError) in
                    try parser.parse(pointer, index: &index)
                }
            } catch {
                return .failure(error)
            }
            switch event {
            case .needMore: break
            case .head(let expected):
                if let expected, expected > parser.bodyLimit {
                    return .failure(HTTPParseError(.contentTooLarge, "too large"))
                }
                continue
            case .message:
                return .success(parser.takeRequest()!)
            }
            break
        }
    }
    return .failure(HTTPParseError(.badRequest, "incomplete"))
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

struct ValidRequest: Sendable, CustomTestStringConvertible {
    let name: String
    let raw: String
    let method: String
    let target: String
    let body: String
    var testDescription: String { name }
}

let validRequests: [ValidRequest] = [
    ValidRequest(name: "simple GET", raw: "GET /health HTTP/1.1\r\nHost: a\r\n\r\n", method: "GET", target: "/health", body: ""),
    ValidRequest(name: "HTTP/1.0 without Host", raw: "GET / HTTP/1.0\r\n\r\n", method: "GET", target: "/", body: ""),
    ValidRequest(name: "Content-Length body", raw: "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
                 method: "POST", target: "/x", body: "hello"),
    ValidRequest(name: "identical duplicate Content-Length", raw: "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
                 method: "POST", target: "/x", body: "abc"),
    ValidRequest(name: "Content-Length list of equal values", raw: "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\nabc",
                 method: "POST", target: "/x", body: "abc"),
    ValidRequest(name: "chunked with extension and trailer",
                 raw: "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n",
                 method: "POST", target: "/c", body: "hello world"),
    ValidRequest(name: "chunked with quoted, spaced and bare extensions",
                 raw: "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5 ; a = \"x;\\\"y\" ;b\r\nhello\r\n0;c=d\r\n\r\n",
                 method: "POST", target: "/c", body: "hello"),
    ValidRequest(name: "a later HTTP/1.x read as 1.1", raw: "GET /v HTTP/1.2\r\nHost: a\r\n\r\n", method: "GET", target: "/v", body: ""),
    ValidRequest(name: "Host as an IPv6 literal with a port", raw: "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n",
                 method: "GET", target: "/", body: ""),
    ValidRequest(name: "absolute-form with an IPv6 authority", raw: "GET http://[::1]:80/p HTTP/1.1\r\nHost: x\r\n\r\n",
                 method: "GET", target: "/p", body: ""),
    ValidRequest(name: "chunked, upper-case coding name", raw: "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n",
                 method: "POST", target: "/c", body: "0123456789"),
    ValidRequest(name: "leading empty line", raw: "\r\nGET /a?b=c HTTP/1.1\r\nHost: a\r\n\r\n", method: "GET", target: "/a?b=c", body: ""),
    ValidRequest(name: "absolute-form target", raw: "GET http://example.com/p?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n",
                 method: "GET", target: "/p?q=1", body: ""),
    ValidRequest(name: "OWS around a value", raw: "GET / HTTP/1.1\r\nHost:   a \t\r\nX:\r\n\r\n", method: "GET", target: "/", body: ""),
    ValidRequest(name: "asterisk OPTIONS", raw: "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", method: "OPTIONS", target: "*", body: ""),
    ValidRequest(name: "percent-encoding in the path", raw: "GET /a%2Fb%c3%a9 HTTP/1.1\r\nHost: a\r\n\r\n", method: "GET",
                 target: "/a%2Fb%c3%a9", body: ""),
    // The query is the routes' to judge (a malformed parameter is 422 naming it); browsers send these unencoded there.
    ValidRequest(name: "a query a browser sends as typed", raw: "GET /a?q=%zz&x=a|b^{c} HTTP/1.1\r\nHost: a\r\n\r\n", method: "GET",
                 target: "/a?q=%zz&x=a|b^{c}", body: ""),
]

@Suite struct HTTPRequestParserTests {
    @Test(arguments: validRequests)
    func parsesInOneRead(_ request: ValidRequest) throws {
        let (head, body) = try parse([bytes(request.raw)]).get()
        #expect(head.method == request.method)
        #expect(head.target == request.target)
        #expect(String(decoding: body, as: UTF8.self) == request.body)
    }

    @Test(arguments: validRequests)
    func parsesWhenSplitAtEveryOffset(_ request: ValidRequest) throws {
        let raw = bytes(request.raw)
        for split in 1..<raw.count {
            let (head, body) = try parse([Array(raw[..<split]), Array(raw[split...])]).get()
            #expect(head.target == request.target, "split at \(split)")
            #expect(String(decoding: body, as: UTF8.self) == request.body, "split at \(split)")
        }
    }

    @Test(arguments: validRequests)
    func parsesByteByByte(_ request: ValidRequest) throws {
        let (head, body) = try parse(bytes(request.raw).map { [$0] }).get()
        #expect(head.method == request.method)
        #expect(String(decoding: body, as: UTF8.self) == request.body)
    }

    /// RFC 9110 §2.5: HTTP/1.2 and later minor versions are read as 1.1 (Host required, persistent).
    @Test func laterMinorVersionsAreReadAsTheHighestImplemented() throws {
        for (text, expected) in [("HTTP/1.0", HTTPVersion.http1_0), ("HTTP/1.1", .http1_1), ("HTTP/1.2", .http1_1), ("HTTP/1.9", .http1_1)] {
            let (head, _) = try parse([bytes("GET / \(text)\r\nHost: a\r\n\r\n")]).get()
            #expect(head.version == expected, "\(text)")
        }
    }

    @Test func headerNamesAreCaseInsensitive() throws {
        let (head, _) = try parse([bytes("GET / HTTP/1.1\r\nHOST: a\r\nX-Custom-Thing: v\r\n\r\n")]).get()
        #expect(head.headers["host"] == "a")
        #expect(head.headers["x-custom-thing"] == "v")
    }

    @Test func twoPipelinedRequestsParseInOrder() throws {
        var parser = HTTPRequestParser()
        let raw = bytes("GET /one HTTP/1.1\r\nHost: a\r\n\r\nPOST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi")
        var index = 0
        var targets: [String] = []
        try raw.withUnsafeBufferPointer { buffer in
            while targets.count < 2 {
                let event = try parser.parse(buffer, index: &index)
                if event == .message, let (head, _) = parser.takeRequest() { targets.append(head.target) }
            }
        }
        #expect(targets == ["/one", "/two"])
        #expect(index == raw.count)
    }
}

struct RejectedRequest: Sendable, CustomTestStringConvertible {
    let name: String
    let raw: String
    let status: Int
    var testDescription: String { name }
}

let rejectedRequests: [RejectedRequest] = [
    RejectedRequest(name: "Content-Length and Transfer-Encoding",
                    raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400),
    RejectedRequest(name: "differing Content-Length", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", status: 400),
    RejectedRequest(name: "Content-Length list that differs", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 4\r\n\r\nabcd", status: 400),
    RejectedRequest(name: "negative Content-Length", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", status: 400),
    RejectedRequest(name: "signed Content-Length", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +3\r\n\r\nabc", status: 400),
    RejectedRequest(name: "overflowing Content-Length", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n", status: 400),
    RejectedRequest(name: "hex Content-Length", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n", status: 400),
    RejectedRequest(name: "Transfer-Encoding not ending in chunked", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", status: 400),
    RejectedRequest(name: "Transfer-Encoding identity", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n", status: 400),
    RejectedRequest(name: "chunked twice", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", status: 400),
    RejectedRequest(name: "unknown coding before chunked", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", status: 501),
    RejectedRequest(name: "Transfer-Encoding in HTTP/1.0", raw: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400),
    RejectedRequest(name: "invalid chunk size", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", status: 400),
    RejectedRequest(name: "chunk size with leading space", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n 5\r\nhello\r\n0\r\n\r\n", status: 400),
    RejectedRequest(name: "overflowing chunk size", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\n", status: 400),
    RejectedRequest(name: "chunk data not followed by CRLF", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n", status: 400),
    RejectedRequest(name: "a later HTTP/1.x without Host", raw: "GET / HTTP/1.2\r\n\r\n", status: 400),
    RejectedRequest(name: "Host with a port that is not digits", raw: "GET / HTTP/1.1\r\nHost: localhost:abc\r\n\r\n", status: 400),
    RejectedRequest(name: "Host with a port and no host", raw: "GET / HTTP/1.1\r\nHost: :80\r\n\r\n", status: 400),
    RejectedRequest(name: "Host with an unclosed IP literal", raw: "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", status: 400),
    RejectedRequest(name: "absolute-form without a host", raw: "GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    RejectedRequest(name: "absolute-form with a port only", raw: "GET http://:80/x HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    RejectedRequest(name: "absolute-form with a bad port", raw: "GET http://a:xx/x HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    RejectedRequest(name: "absolute-form with an unclosed IP literal", raw: "GET http://[::1/x HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    RejectedRequest(name: "absolute-form with userinfo", raw: "GET http://u@a/x HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    RejectedRequest(name: "chunk extension with an unclosed quote",
                    raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a=\"b\r\nhello\r\n0\r\n\r\n", status: 400),
    RejectedRequest(name: "chunk extension without a name",
                    raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;=x\r\nhello\r\n0\r\n\r\n", status: 400),
    RejectedRequest(name: "chunk extension that is only a semicolon",
                    raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;\r\nhello\r\n0\r\n\r\n", status: 400),
    RejectedRequest(name: "chunk extension name with a space inside",
                    raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a b\r\nhello\r\n0\r\n\r\n", status: 400),
    RejectedRequest(name: "chunk size line with bare LF", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n", status: 400),
    RejectedRequest(name: "obs-fold", raw: "GET / HTTP/1.1\r\nHost: a\r\nX-Long: a\r\n b\r\n\r\n", status: 400),
    RejectedRequest(name: "whitespace before colon", raw: "GET / HTTP/1.1\r\nHost : a\r\n\r\n", status: 400),
    RejectedRequest(name: "invalid token in header name", raw: "GET / HTTP/1.1\r\nHost: a\r\nBad@Name: v\r\n\r\n", status: 400),
    RejectedRequest(name: "NUL in a header value", raw: "GET / HTTP/1.1\r\nHost: a\r\nX: a\u{0}b\r\n\r\n", status: 400),
    RejectedRequest(name: "bare CR in a header value", raw: "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", status: 400),
    RejectedRequest(name: "bare LF line ending", raw: "GET / HTTP/1.1\nHost: a\n\n", status: 400),
    RejectedRequest(name: "missing Host in HTTP/1.1", raw: "GET / HTTP/1.1\r\n\r\n", status: 400),
    RejectedRequest(name: "repeated Host", raw: "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", status: 400),
    RejectedRequest(name: "invalid Host", raw: "GET / HTTP/1.1\r\nHost: a b/c\r\n\r\n", status: 400),
    RejectedRequest(name: "HTTP/2.0 request line", raw: "GET / HTTP/2.0\r\nHost: a\r\n\r\n", status: 505),
    RejectedRequest(name: "HTTP/0.9 style version", raw: "GET / HTTP/0.9\r\nHost: a\r\n\r\n", status: 505),
    RejectedRequest(name: "malformed version", raw: "GET / HTTP/1.10\r\nHost: a\r\n\r\n", status: 400),
    RejectedRequest(name: "lower-case protocol name", raw: "GET / http/1.1\r\nHost: a\r\n\r\n", status: 400),
    RejectedRequest(name: "two spaces in request line", raw: "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    RejectedRequest(name: "invalid method token", raw: "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    RejectedRequest(name: "relative target", raw: "GET health HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    RejectedRequest(name: "fragment in target", raw: "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    RejectedRequest(name: "invalid percent-encoding in the path", raw: "GET /health%zz HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    RejectedRequest(name: "truncated percent-encoding in the path", raw: "GET /a%4 HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    RejectedRequest(name: "backslash in the path", raw: "GET /a\\b HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    RejectedRequest(name: "quote in the path", raw: "GET /a\"b HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    RejectedRequest(name: "brace in the path", raw: "GET /a{b} HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    RejectedRequest(name: "header line without colon", raw: "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", status: 400),
]

@Suite struct HTTPRequestParserRejectionTests {
    @Test(arguments: rejectedRequests)
    func rejects(_ request: RejectedRequest) {
        switch parse([bytes(request.raw)]) {
        case .success: Issue.record("accepted \(request.name)")
        case .failure(let error): #expect(error.status.code == request.status, "\(error.reason)")
        }
    }

    /// The limit counts the request line's bytes without its CRLF: exactly the limit passes.
    @Test func aRequestLineOfExactlyTheLimitPasses() {
        var limits = HTTPLimits()
        limits.maxRequestLineBytes = 64
        let line = "GET /" + String(repeating: "a", count: 64 - 14) + " HTTP/1.1"
        #expect(line.utf8.count == 64)
        if case .failure(let error) = parse([bytes(line + "\r\nHost: a\r\n\r\n")], limits: limits) { Issue.record("refused: \(error.status.code)") }
        let longer = "GET /" + String(repeating: "a", count: 65 - 14) + " HTTP/1.1"
        if case .failure(let error) = parse([bytes(longer + "\r\nHost: a\r\n\r\n")], limits: limits) {
            #expect(error.status.code == 414)
        } else {
            Issue.record("accepted \(longer.utf8.count) bytes")
        }
        // Byte by byte, the line's CR arriving alone at the limit is not yet over it.
        if case .failure(let error) = parse((line + "\r\nHost: a\r\n\r\n").utf8.map { [$0] }, limits: limits) {
            Issue.record("refused byte by byte: \(error.status.code)")
        }
    }

    @Test func requestLineOverLimitIs414() {
        var limits = HTTPLimits()
        limits.maxRequestLineBytes = 64
        let raw = "GET /" + String(repeating: "a", count: 100) + " HTTP/1.1\r\nHost: a\r\n\r\n"
        #expect(throws: Never.self) {
            if case .failure(let error) = parse([bytes(raw)], limits: limits) { #expect(error.status.code == 414) } else {
                Issue.record("accepted")
            }
        }
        // Also without the line ending ever arriving: the limit applies to what is buffered.
        if case .failure(let error) = parse([bytes("GET /" + String(repeating: "a", count: 100))], limits: limits) {
            #expect(error.status.code == 414)
        }
    }

    @Test func headerSectionOverLimitIs431() {
        var limits = HTTPLimits()
        limits.maxHeaderBytes = 256
        let raw = "GET / HTTP/1.1\r\nHost: a\r\n" + (0..<20).map { "X-\($0): " + String(repeating: "v", count: 20) + "\r\n" }.joined() + "\r\n"
        guard case .failure(let error) = parse([bytes(raw)], limits: limits) else { Issue.record("accepted"); return }
        #expect(error.status.code == 431)
    }

    @Test func tooManyHeaderFieldsIs431() {
        let raw = "GET / HTTP/1.1\r\nHost: a\r\n" + (0..<101).map { "X-\($0): v\r\n" }.joined() + "\r\n"
        guard case .failure(let error) = parse([bytes(raw)]) else { Issue.record("accepted"); return }
        #expect(error.status.code == 431)
    }

    @Test func tooManyTrailerFieldsIs431() {
        let raw = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
            + (0..<101).map { "T-\($0): v\r\n" }.joined() + "\r\n"
        guard case .failure(let error) = parse([bytes(raw)]) else { Issue.record("accepted"); return }
        #expect(error.status.code == 431)
    }

    /// A first byte no method starts with (a TLS ClientHello begins 0x16) is refused before any
    /// line ending arrives, where waiting would only end at the header timeout.
    @Test func aFirstByteNoMethodStartsWithIsRefusedAtOnce() {
        var parser = HTTPRequestParser()
        var index = 0
        let hello: [UInt8] = [0x16, 0x03, 0x01, 0x02, 0x00]
        let outcome = hello.withUnsafeBufferPointer { buffer in Result { () throws(HTTPParseError) in try parser.parse(buffer, index: &index) } }
        guard case .failure(let error) = outcome else { Issue.record("waited"); return }
        #expect(error.status.code == 400)
        // A method arriving byte by byte still waits for its line.
        if case .failure(let error) = parse("GET /a HTTP/1.1\r\nHost: a\r\n\r\n".utf8.map { [$0] }) { Issue.record("refused \(error.status.code)") }
    }

    @Test func chunkedBodyOverLimitIs413() {
        var parser = HTTPRequestParser()
        parser.bodyLimit = 8
        let raw = bytes("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n")
        var index = 0
        var failure: HTTPParseError?
        raw.withUnsafeBufferPointer { buffer in
            do throws(HTTPParseError) {
                while try parser.parse(buffer, index: &index) != .message {}
            } catch { failure = error }
        }
        #expect(failure?.status.code == 413)
    }
}
