import Glibc
import ParleyHTTP

/// A blocking TCP client for tests: sends exact bytes and reads raw HTTP responses, so framing
/// can be checked byte for byte. Reads time out (default 5 s) instead of hanging a test.
public final class RawClient {
    /// -1 once closed: `deinit` runs even when `init` throws, and must not close the number twice
    /// (by then it may belong to another test's socket or file).
    public private(set) var fd: Int32

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public init(port: Int, timeoutSeconds: Int = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket failed") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            let error = errno
            close(fd)
            fd = -1
            throw Failure(description: "connect failed: \(error)")
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw Failure(description: "send failed: \(errno)") }
            offset += written
        }
    }

    private var buffer: [UInt8] = []

    /// Reads more bytes; returns false at end of stream (or on timeout/reset).
    @discardableResult
    func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = recv(fd, &chunk, chunk.count, 0)
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }

    /// Whether the server has closed the connection (reads end of stream within the timeout).
    public func isClosedByPeer() -> Bool {
        if !buffer.isEmpty { return false }
        var byte: UInt8 = 0
        let count = recv(fd, &byte, 1, 0)
        if count == 0 { return true }
        if count < 0 && errno == ECONNRESET { return true }
        if count > 0 { buffer.append(byte) }
        return false
    }

    /// Whether nothing at all arrives within `milliseconds` (for asserting that an answer is held back).
    public func receivesNothing(within milliseconds: Int32) -> Bool {
        guard buffer.isEmpty else { return false }
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, milliseconds) == 0
    }

    /// Reads up to the end of a response head and returns its status line (the body is left unread).
    public func readStatusLine() throws -> String {
        while Self.find(buffer, [13, 10, 13, 10]) == nil {
            guard fill() else { throw Failure(description: "connection ended before a response head") }
        }
        let end = Self.find(buffer, [13, 10])!  // a head contains a line end
        return String(decoding: buffer[0..<end], as: UTF8.self)
    }

    /// Reads one response. `head: true` means the request was HEAD (no body regardless of headers).
    public func readResponse(head: Bool = false) throws -> RawResponse {
        var headerEnd: Int?
        while headerEnd == nil {
            headerEnd = Self.find(buffer, [13, 10, 13, 10])
            if headerEnd == nil && !fill() { throw Failure(description: "connection ended before a response head (\(buffer.count) bytes)") }
        }
        let headText = String(decoding: buffer[0..<headerEnd!], as: UTF8.self)
        buffer.removeFirst(headerEnd! + 4)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else { throw Failure(description: "bad status line \(statusLine)") }
        var headers = HTTPHeaders()
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.add(String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: " "))
        }
        if status < 200 || head || status == 204 || status == 304 {
            return RawResponse(status: status, headers: headers, body: [], statusLine: statusLine)
        }
        var body: [UInt8] = []
        if headers["Transfer-Encoding"]?.lowercased() == "chunked" {
            while true {
                var lineEnd = Self.find(buffer, [13, 10])
                while lineEnd == nil {
                    guard fill() else { throw Failure(description: "chunked body ended early") }
                    lineEnd = Self.find(buffer, [13, 10])
                }
                let sizeText = String(decoding: buffer[0..<lineEnd!], as: UTF8.self).split(separator: ";")[0]
                guard let size = Int(sizeText, radix: 16) else { throw Failure(description: "bad chunk size") }
                buffer.removeFirst(lineEnd! + 2)
                while buffer.count < size + 2 { guard fill() else { throw Failure(description: "chunk ended early") } }
                body.append(contentsOf: buffer[0..<size])
                buffer.removeFirst(size + 2)
                if size == 0 { break }
            }
        } else if let length = headers["Content-Length"].flatMap({ Int($0) }) {
            while buffer.count < length { guard fill() else { throw Failure(description: "body ended early") } }
            body = Array(buffer[0..<length])
            buffer.removeFirst(length)
        } else {
            while fill() {}
            body = buffer
            buffer = []
        }
        return RawResponse(status: status, headers: headers, body: body, statusLine: statusLine)
    }

    static func find(_ haystack: [UInt8], _ needle: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for index in 0...(haystack.count - needle.count) where haystack[index] == needle[0] {
            if Array(haystack[index..<index + needle.count]) == needle { return index }
        }
        return nil
    }
}

public struct RawResponse: Sendable {
    public let status: Int
    public let headers: HTTPHeaders
    public let body: [UInt8]
    public let statusLine: String
    public var text: String { String(decoding: body, as: UTF8.self) }
}

extension String {
    func components(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(self)
        while let range = rest.firstRange(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }

    func trimmingCharacters(in set: String) -> String {
        var scalars = Substring(self)
        while let first = scalars.first, set.contains(first) { scalars = scalars.dropFirst() }
        while let last = scalars.last, set.contains(last) { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
