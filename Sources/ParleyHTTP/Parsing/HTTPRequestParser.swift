import Glibc

/// An incremental HTTP/1.1 request parser (RFC 9112) that copes with any split of bytes across reads.
///
/// Feed it the connection's buffered bytes; it consumes what it can and reports the head once the
/// header section is complete, then the whole message once the body is in. It is strict where
/// leniency enables request smuggling: bare LF, obs-fold, whitespace before a colon, both
/// `Content-Length` and `Transfer-Encoding`, differing lengths and malformed chunk sizes are all
/// errors, and every error ends the connection.
public struct HTTPRequestParser: Sendable {
    public enum Event: Sendable, Equatable {
        case needMore
        /// The header section is complete; `expectedBodyBytes` is the Content-Length, nil for chunked.
        case head(expectedBodyBytes: Int?)
        /// The message is complete; take it with `takeRequest()`.
        case message
    }

    enum State: Sendable {
        case requestLine
        case headerLines
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailerLines
        case complete
    }

    public var limits: HTTPLimits
    /// The body limit for the current request; the server may raise it per route after the head.
    public var bodyLimit: Int

    private(set) var state: State = .requestLine
    private var lineScanOffset = 0
    private var headerBytes = 0
    private var method = ""
    private var target = ""
    private var version = HTTPVersion.http1_1
    private var fields: [(name: String, value: String)] = []
    /// Trailer fields read so far: bounded like the header fields, though they are discarded.
    private var trailerCount = 0
    private var body: [UInt8] = []
    private(set) public var head: HTTPRequestHead?

    /// The method of the request being read, once its request line shows a valid one, and the
    /// version once it is read (HTTP/1.1 until then): a refusal found later, in the rest of the
    /// request line or the header section, still knows that a HEAD request gets no content
    /// (RFC 9110 §9.3.2).
    var requestLineRead: (method: String, version: HTTPVersion)? {
        method.isEmpty ? nil : (method, version)
    }

    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
        self.bodyLimit = limits.maxBodyBytes
    }

    /// Whether no byte of a next request has been read yet. The empty lines a client may send
    /// before a request line (RFC 9112 §2.2: some send CRLF after a POST body) start no request:
    /// the connection stays idle, under the idle timeout, not the header timeout.
    public var isIdle: Bool {
        if case .requestLine = state { return lineScanOffset == 0 }
        return false
    }

    /// Makes room for a body of known length in one allocation (call after checking it against the limit).
    public mutating func reserveBody(_ length: Int) {
        if length <= bodyLimit { body.reserveCapacity(length) }
    }

    /// Returns the completed request and gets ready for the next one on the same connection.
    public mutating func takeRequest() -> (HTTPRequestHead, [UInt8])? {
        guard case .complete = state, let head else { return nil }
        let result = (head, body)
        reset()
        return result
    }

    mutating func reset() {
        state = .requestLine
        lineScanOffset = 0
        headerBytes = 0
        trailerCount = 0
        method = ""
        version = .http1_1
        fields.removeAll(keepingCapacity: true)
        body = []
        head = nil
        bodyLimit = limits.maxBodyBytes
    }

    /// Consumes bytes from `buffer[index...]`, advancing `index` past what was used.
    public mutating func parse(_ buffer: UnsafeBufferPointer<UInt8>, index: inout Int) throws(HTTPParseError) -> Event {
        while true {
            switch state {
            case .requestLine, .headerLines, .trailerLines:
                guard let line = try nextLine(buffer, index: &index) else { return .needMore }
                if let event = try consumeHeadLine(buffer, line) { return event }
            case .fixedBody(let remaining):
                let available = buffer.count - index
                guard available > 0 else { return .needMore }
                let take = min(available, remaining)
                body.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[index..<index + take]))
                index += take
                if take == remaining {
                    state = .complete
                    return .message
                }
                state = .fixedBody(remaining: remaining - take)
            case .chunkSize:
                guard let line = try nextLine(buffer, index: &index, limit: limits.maxChunkLineBytes) else {
                    return .needMore
                }
                let size = try Self.parseChunkSize(UnsafeBufferPointer(rebasing: buffer[line]))
                if size == 0 {
                    state = .trailerLines
                } else {
                    guard body.count + size <= bodyLimit else {
                        throw HTTPParseError(.contentTooLarge, "request body exceeds \(bodyLimit) bytes")
                    }
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let available = buffer.count - index
                guard available > 0 else { return .needMore }
                let take = min(available, remaining)
                body.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[index..<index + take]))
                index += take
                state = take == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - take)
            case .chunkDataEnd:
                guard buffer.count - index >= 2 else {
                    if buffer.count - index == 1 && buffer[index] != 0x0D { throw .bad("chunk data not followed by CRLF") }
                    return .needMore
                }
                guard buffer[index] == 0x0D, buffer[index + 1] == 0x0A else {
                    throw .bad("chunk data not followed by CRLF")
                }
                index += 2
                state = .chunkSize
            case .complete:
                return .message
            }
        }
    }

    /// Finds the next CRLF-terminated line; returns its range without the CRLF.
    private mutating func nextLine(
        _ buffer: UnsafeBufferPointer<UInt8>, index: inout Int, limit: Int? = nil
    ) throws(HTTPParseError) -> Range<Int>? {
        let start = index
        let searchFrom = start + lineScanOffset
        let available = buffer.count - searchFrom
        let found: Int? = available > 0
            ? memchr(buffer.baseAddress! + searchFrom, 0x0A, available).map {
                UnsafeRawPointer($0) - UnsafeRawPointer(buffer.baseAddress!)
            }
            : nil
        guard let newline = found else {
            // A request line must start with a method: a first byte that cannot (a TLS handshake,
            // binary noise) is refused at once, not after the header timeout.
            if case .requestLine = state, start < buffer.count, buffer[start] != 0x0D, !ByteClass.token[Int(buffer[start])] {
                throw .bad("invalid method")
            }
            lineScanOffset = buffer.count - start
            // The last byte buffered may be the line's CR, which does not count.
            try checkLineLength(lineScanOffset - 1, limit: limit)
            return nil
        }
        lineScanOffset = 0
        let length = newline - start + 1
        // The limits count a line's content, not its CRLF.
        try checkLineLength(newline > start && buffer[newline - 1] == 0x0D ? length - 2 : length - 1, limit: limit)
        guard newline > start, buffer[newline - 1] == 0x0D else { throw .bad("line not terminated by CRLF") }
        index = newline + 1
        if case .chunkSize = state {} else {
            headerBytes += length
        }
        return start..<(newline - 1)
    }

    private func checkLineLength(_ length: Int, limit: Int?) throws(HTTPParseError) {
        switch state {
        case .requestLine where length > limits.maxRequestLineBytes:
            throw HTTPParseError(.uriTooLong, "request line longer than \(limits.maxRequestLineBytes) bytes")
        case .headerLines where length > limits.maxHeaderBytes, .trailerLines where length > limits.maxHeaderBytes:
            throw HTTPParseError(.headerFieldsTooLarge, "header field exceeds \(limits.maxHeaderBytes) bytes")
        case .chunkSize where length > (limit ?? limits.maxChunkLineBytes):
            throw .bad("chunk-size line too long")
        default: return
        }
    }

    private mutating func consumeHeadLine(
        _ buffer: UnsafeBufferPointer<UInt8>, _ line: Range<Int>
    ) throws(HTTPParseError) -> Event? {
        let bytes = UnsafeBufferPointer(rebasing: buffer[line])
        switch state {
        case .requestLine:
            // RFC 9112 §2.2: empty lines before the request line are ignored (a few, not forever).
            if bytes.isEmpty {
                if headerBytes > 8 { throw .bad("too many empty lines before the request line") }
                return nil
            }
            try parseRequestLine(bytes)
            headerBytes = 0
            state = .headerLines
            return nil
        case .headerLines:
            if bytes.isEmpty { return try finishHead() }
            fields.append(try Self.parseField(bytes))
            if fields.count > limits.maxHeaderCount {
                throw HTTPParseError(.headerFieldsTooLarge, "more than \(limits.maxHeaderCount) header fields")
            }
            if headerBytes > limits.maxHeaderBytes {
                throw HTTPParseError(.headerFieldsTooLarge, "header section exceeds \(limits.maxHeaderBytes) bytes")
            }
            return nil
        case .trailerLines:
            if bytes.isEmpty {
                state = .complete
                return .message
            }
            _ = try Self.parseField(bytes)  // validated, then discarded: trailers never override the head
            trailerCount += 1
            if trailerCount > limits.maxHeaderCount {
                throw HTTPParseError(.headerFieldsTooLarge, "more than \(limits.maxHeaderCount) trailer fields")
            }
            if headerBytes > limits.maxHeaderBytes {
                throw HTTPParseError(.headerFieldsTooLarge, "trailer section too large")
            }
            return nil
        default:
            return nil
        }
    }

    private mutating func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) {
        guard let firstSpace = line.firstIndex(of: 0x20) else { throw .bad("malformed request line") }
        let methodBytes = UnsafeBufferPointer(rebasing: line[..<firstSpace])
        guard ByteClass.isToken(methodBytes) else { throw .bad("invalid method") }
        method = String(decoding: methodBytes, as: UTF8.self)
        let rest = line[(firstSpace + 1)...]
        guard let secondSpace = rest.firstIndex(of: 0x20) else { throw .bad("malformed request line") }
        let targetBytes = line[(firstSpace + 1)..<secondSpace]
        let versionBytes = line[(secondSpace + 1)...]
        guard !targetBytes.isEmpty, targetBytes.allSatisfy({ ByteClass.target[Int($0)] }) else {
            throw .bad("invalid request target")
        }
        guard Self.percentEncodingIsWellFormed(inPathOf: targetBytes) else { throw .bad("invalid characters or percent-encoding in the request path") }
        version = try Self.parseVersion(versionBytes)
        target = String(decoding: targetBytes, as: UTF8.self)
        let first = targetBytes.first!  // non-empty, checked above
        if first != UInt8(ascii: "/") {
            let isAsterisk = targetBytes.count == 1 && first == UInt8(ascii: "*") && method == "OPTIONS"
            let isAbsolute = target.lowercased().hasPrefix("http://") || target.lowercased().hasPrefix("https://")
            let isAuthority = method == "CONNECT"
            guard isAsterisk || isAbsolute || isAuthority else { throw .bad("invalid request target") }
            if isAbsolute {
                // An http(s) URI needs a host, and userinfo has no place in a request (RFC 9110 §4.2.1, §4.2.4).
                guard let authority = Self.authority(ofAbsolute: target), !authority.isEmpty, Self.isValidAuthority(authority)
                else { throw .bad("invalid authority in the request target") }
                target = Self.originForm(ofAbsolute: target)
            }
        }
    }

    /// Whether the path (the target before `?`) holds only what a URI may (RFC 3986: no `"`, `<`,
    /// `>`, `\`, `^`, `` ` ``, `{`, `|` or `}`) and every `%` in it is followed by two hex digits
    /// (§2.1). The query is left to the routes, which name a malformed parameter.
    static func percentEncodingIsWellFormed(inPathOf target: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        var index = target.startIndex
        while index < target.endIndex {
            let byte = target[index]
            if byte == UInt8(ascii: "?") { return true }
            if ByteClass.notInPath[Int(byte)] { return false }
            if byte == UInt8(ascii: "%") {
                guard index + 2 < target.endIndex, ByteClass.isHexDigit(target[index + 1]), ByteClass.isHexDigit(target[index + 2])
                else { return false }
                index += 3
                continue
            }
            index += 1
        }
        return true
    }

    /// The authority of `http://authority/path`: what lies between `//` and the next `/`, `?` or the end.
    static func authority(ofAbsolute target: String) -> Substring? {
        let utf8 = target.utf8
        var index = utf8.startIndex
        while index != utf8.endIndex {
            if utf8[index...].starts(with: "://".utf8) {
                let rest = target[utf8.index(index, offsetBy: 3)...]
                return rest[..<(rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex)]
            }
            index = utf8.index(after: index)
        }
        return nil
    }

    /// `uri-host [ ":" port ]` (RFC 3986 §3.2.2–3.2.3): an IP literal in closed brackets or a reg-name
    /// (no `:`, no brackets; `ByteClass.host` has no `@`), then an optional port of digits only.
    /// Empty is valid (a Host for a URI without authority); a port without a host is not.
    static func isValidAuthority(_ authority: Substring) -> Bool {
        let bytes = Array(authority.utf8)
        guard bytes.allSatisfy({ ByteClass.host[Int($0)] }), bytes.first != UInt8(ascii: ":") else { return false }
        var index = 0
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")), close > 1,
                  bytes[1..<close].allSatisfy({ ByteClass.ipLiteral[Int($0)] })
            else { return false }
            index = close + 1
        } else {
            while index < bytes.count, bytes[index] != UInt8(ascii: ":") {
                guard bytes[index] != UInt8(ascii: "[") && bytes[index] != UInt8(ascii: "]") else { return false }
                index += 1
            }
        }
        guard index < bytes.count else { return true }
        guard bytes[index] == UInt8(ascii: ":") else { return false }
        return bytes[(index + 1)...].allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// `http://host/path?q` → `/path?q` (RFC 9112 §3.2.2: the server uses the target's authority).
    static func originForm(ofAbsolute target: String) -> String {
        let utf8 = Array(target.utf8)
        var start = 0
        while start + 2 < utf8.count, !(utf8[start] == 0x3A && utf8[start + 1] == 0x2F && utf8[start + 2] == 0x2F) {
            start += 1
        }
        let afterScheme = Substring(String(decoding: utf8[min(start + 3, utf8.count)...], as: UTF8.self))
        guard let slash = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
        let rest = afterScheme[slash...]
        return rest.first == "?" ? "/" + rest : String(rest)
    }

    static func parseVersion(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) throws(HTTPParseError) -> HTTPVersion {
        let b = Array(bytes)
        guard b.count == 8, b[0] == 0x48, b[1] == 0x54, b[2] == 0x54, b[3] == 0x50, b[4] == 0x2F, b[6] == 0x2E,
              (0x30...0x39).contains(b[5]), (0x30...0x39).contains(b[7])
        else { throw .bad("malformed HTTP version") }
        let version = HTTPVersion(major: Int(b[5] - 0x30), minor: Int(b[7] - 0x30))
        guard version.major == 1 else {
            throw HTTPParseError(.versionNotSupported, "\(version) is not supported")
        }
        // A later 1.x is read as the highest minor version implemented (RFC 9110 §2.5).
        return version.minor >= 1 ? .http1_1 : .http1_0
    }

    static func parseField(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> (name: String, value: String) {
        guard let first = line.first else { throw .bad("empty header line") }
        if first == 0x20 || first == 0x09 { throw .bad("obsolete line folding is not accepted") }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw .bad("header line without a colon") }
        let name = UnsafeBufferPointer(rebasing: line[..<colon])
        guard ByteClass.isToken(name) else { throw .bad("invalid header field name") }
        var valueStart = colon + 1
        var valueEnd = line.count
        while valueStart < valueEnd, line[valueStart] == 0x20 || line[valueStart] == 0x09 { valueStart += 1 }
        while valueEnd > valueStart, line[valueEnd - 1] == 0x20 || line[valueEnd - 1] == 0x09 { valueEnd -= 1 }
        let value = UnsafeBufferPointer(rebasing: line[valueStart..<valueEnd])
        for byte in value where !ByteClass.fieldValue[Int(byte)] {
            throw .bad("invalid character in header field value")
        }
        return (lowercasedASCII(name), String(decoding: value, as: UTF8.self))
    }

    static func lowercasedASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { out in
            for (i, byte) in bytes.enumerated() {
                out[i] = (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
            }
            return bytes.count
        }
    }

    /// chunk-size [ chunk-ext ] (RFC 9112 §7.1); sizes beyond 2^60 are refused rather than wrapped.
    static func parseChunkSize(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> Int {
        var size = 0
        var index = 0
        while index < line.count, let digit = QueryParameters.hexValue(line[index]) {
            guard index < 15 else { throw .bad("chunk size too large") }
            size = size << 4 | Int(digit)
            index += 1
        }
        guard index > 0 else { throw .bad("invalid chunk size") }
        if index == line.count { return size }
        guard line[index...].contains(UInt8(ascii: ";")) else { throw .bad("invalid chunk size") }
        try validateChunkExtensions(UnsafeBufferPointer(rebasing: line[index...]))
        return size
    }

    /// chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ), ext-name a token, ext-val a
    /// token or a quoted-string (RFC 9112 §7.1.1). Extensions are ignored, but only well-formed ones:
    /// an unclosed quote is how a request is made to read differently to two parsers.
    static func validateChunkExtensions(_ bytes: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) {
        var index = 0
        func skipWhitespace() { while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 } }
        func token() -> Bool {
            let start = index
            while index < bytes.count, ByteClass.token[Int(bytes[index])] { index += 1 }
            return index > start
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { return }
            guard bytes[index] == UInt8(ascii: ";") else { throw .bad("invalid chunk extension") }
            index += 1
            skipWhitespace()
            guard token() else { throw .bad("invalid chunk extension name") }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { continue }
            index += 1
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                index += 1
                var closed = false
                while index < bytes.count {
                    let byte = bytes[index]
                    index += 1
                    if byte == UInt8(ascii: "\"") { closed = true; break }
                    if byte == UInt8(ascii: "\\") {
                        // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
                        guard index < bytes.count, ByteClass.fieldValue[Int(bytes[index])] else { throw .bad("invalid chunk extension value") }
                        index += 1
                    } else if !ByteClass.fieldValue[Int(byte)] {
                        throw .bad("invalid chunk extension value")
                    }
                }
                guard closed else { throw .bad("unterminated quoted chunk extension value") }
            } else if !token() {
                throw .bad("invalid chunk extension value")
            }
        }
    }

    private mutating func finishHead() throws(HTTPParseError) -> Event {
        let headers = HTTPHeaders(fields)
        let framing = try Self.bodyFraming(headers, version: version)
        head = HTTPRequestHead(method: method, target: target, version: version, headers: headers)
        switch framing {
        case .none:
            state = .complete
            return .head(expectedBodyBytes: 0)
        case .length(let length):
            state = length == 0 ? .complete : .fixedBody(remaining: length)
            return .head(expectedBodyBytes: length)
        case .chunked:
            state = .chunkSize
            headerBytes = 0
            return .head(expectedBodyBytes: nil)
        }
    }

    enum Framing: Equatable { case none, length(Int), chunked }

    /// Decides how the body is delimited (RFC 9112 §6), rejecting every ambiguous combination.
    static func bodyFraming(_ headers: HTTPHeaders, version: HTTPVersion) throws(HTTPParseError) -> Framing {
        let hosts = headers.values(of: "host")
        if version == .http1_1 && hosts.isEmpty { throw .bad("missing Host header") }
        if hosts.count > 1 { throw .bad("more than one Host header") }
        if let host = hosts.first, !isValidAuthority(Substring(host)) {
            throw .bad("invalid Host header")
        }
        let transferEncodings = headers.values(of: "transfer-encoding")
        let contentLengths = headers.values(of: "content-length")
        if !transferEncodings.isEmpty {
            if !contentLengths.isEmpty { throw .bad("both Content-Length and Transfer-Encoding") }
            if version == .http1_0 { throw .bad("Transfer-Encoding in an HTTP/1.0 request") }
            let codings = transferEncodings
                .flatMap { $0.split(separator: ",") }
                .map { $0.trimmingOWS() }
                .filter { !$0.isEmpty }
            guard let last = codings.last, last.lowercased() == "chunked" else {
                throw .bad("Transfer-Encoding must end with chunked")
            }
            guard codings.count == 1 else {
                if codings.dropLast().contains(where: { $0.lowercased() == "chunked" }) {
                    throw .bad("chunked applied more than once")
                }
                throw HTTPParseError(.notImplemented, "unsupported transfer coding")
            }
            return .chunked
        }
        guard !contentLengths.isEmpty else { return .none }
        var length: Int?
        for element in contentLengths.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
            let text = element.trimmingOWS()
            guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let value = Int(text)
            else { throw .bad("invalid Content-Length") }
            if let length, length != value { throw .bad("conflicting Content-Length values") }
            length = value
        }
        return .length(length!)  // contentLengths is non-empty, so the loop ran or threw
    }
}

extension Substring {
    /// Strips optional whitespace (SP and HTAB) at both ends.
    func trimmingOWS() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
