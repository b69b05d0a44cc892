import ParleyHTTP

/// The HTTP/1.1 request parser under hostile bytes. Properties of every input:
/// - it never crashes, and every request it completes is within the limits;
/// - it reads the same requests, and stops at the same error, however the bytes are split across
///   reads (a parser that depends on read boundaries is how request smuggling starts);
/// - a request it completes says what it was sent: `Content-Length` equals the body it read.
public struct HTTPParserFuzz: FuzzTarget {
    public let limits: HTTPLimits

    public init() {
        var limits = HTTPLimits()
        // Small limits, so mutations reach them.
        limits.maxRequestLineBytes = 256
        limits.maxHeaderBytes = 1_024
        limits.maxHeaderCount = 16
        limits.maxBodyBytes = 2_048
        limits.maxChunkLineBytes = 64
        self.limits = limits
    }

    public let corpus: [[UInt8]] = [
        "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /v1/cases?status=open&limit=50 HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer k\r\n\r\n",
        "POST /v1/cases HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"a\":\"b\",\"c\":1}",
        "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        "GET / HTTP/1.0\r\n\r\n",
        "POST /e HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nExpect: 100-continue\r\n\r\n",
        "PUT /v1/users/u HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\nbody",
    ].map { Array($0.utf8) }

    public let mutator = Mutator(interesting: Array("\r\n:; \t0123456789abcdefABCDEF-,/?%\0".utf8) + [0x7F, 0x80, 0xFF])

    /// What a parse produced: requests in order, then how it ended.
    public enum Outcome: Equatable, Sendable {
        case request(String)
        case error(Int)
        case incomplete
    }

    public func check(_ input: [UInt8], random: inout FuzzRandom) throws(FuzzFailure) {
        let whole = try outcomes(input, splits: [input.count])
        var splits: [Int] = []
        var left = input.count
        while left > 0 {
            let size = min(left, 1 + random.below(max(1, input.count / 3 + 1)))
            splits.append(size)
            left -= size
        }
        let split = try outcomes(input, splits: splits)
        guard whole == split else {
            throw FuzzFailure("the parse depends on how the bytes are split: \(whole) vs \(split) for splits \(splits)", input: input)
        }
        let bytewise = try outcomes(input, splits: Array(repeating: 1, count: input.count))
        guard whole == bytewise else {
            throw FuzzFailure("the parse differs when fed one byte at a time: \(whole) vs \(bytewise)", input: input)
        }
    }

    /// Feeds `input` in pieces of the given sizes, as the event loop does: the unconsumed bytes stay
    /// buffered and the parser is called again when more arrive.
    public func outcomes(_ input: [UInt8], splits: [Int]) throws(FuzzFailure) -> [Outcome] {
        var parser = HTTPRequestParser(limits: limits)
        var buffer: [UInt8] = []
        var results: [Outcome] = []
        var offset = 0
        for size in splits {
            buffer.append(contentsOf: input[offset..<offset + size])
            offset += size
            while true {
                var index = 0
                let event: HTTPRequestParser.Event
                do {
                    event = try buffer.withUnsafeBufferPointer { pointer throws(HTTPParseError) in
                        try parser.parse(pointer, index: &index)
                    }
                } catch {
                    results.append(.error(error.status.code))
                    return results
                }
                guard index >= 0, index <= buffer.count else { throw FuzzFailure("the parser consumed \(index) of \(buffer.count) bytes", input: input) }
                buffer.removeFirst(index)
                if event == .needMore { break }
                guard event == .message else { continue }
                guard let (head, body) = parser.takeRequest() else { throw FuzzFailure("a message could not be taken", input: input) }
                try checkRequest(head, body, input: input)
                results.append(.request(describe(head, body)))
            }
        }
        if !parser.isIdle || !buffer.isEmpty { results.append(.incomplete) }
        return results
    }

    private func checkRequest(_ head: HTTPRequestHead, _ body: [UInt8], input: [UInt8]) throws(FuzzFailure) {
        guard !head.method.isEmpty, !head.target.isEmpty else { throw FuzzFailure("a request without method or target", input: input) }
        guard body.count <= limits.maxBodyBytes else { throw FuzzFailure("a body of \(body.count) bytes passed the limit", input: input) }
        guard head.headers.count <= limits.maxHeaderCount else { throw FuzzFailure("\(head.headers.count) header fields passed the limit", input: input) }
        if let length = head.headers["content-length"] {
            guard head.headers["transfer-encoding"] == nil else { throw FuzzFailure("both Content-Length and Transfer-Encoding accepted", input: input) }
            guard Int(length) == body.count else { throw FuzzFailure("Content-Length \(length) with a body of \(body.count) bytes", input: input) }
        }
    }

    private func describe(_ head: HTTPRequestHead, _ body: [UInt8]) -> String {
        var text = head.method + " " + head.target + " " + String(describing: head.version)
        for (name, value) in head.headers { text += "\n" + name + ": " + value }
        return text + "\n\n" + String(decoding: body, as: UTF8.self) + " (\(body.count) bytes)"
    }
}
