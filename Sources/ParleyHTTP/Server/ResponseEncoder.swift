/// Serialises response heads (RFC 9112 §4) into bytes ready for the socket.
enum ResponseEncoder {
    /// The smallest body worth compressing; below this gzip's header costs more than it saves.
    static let compressionThreshold = 1024

    /// Writes the status line and header fields, with the framing fields the server owns.
    /// - Parameters:
    ///   - bodyLength: the Content-Length to announce, or nil for a chunked body.
    static func encodeHead(
        _ response: HTTPResponse, bodyLength: Int?, keepAlive: Bool, date: [UInt8], version: HTTPVersion,
        into out: inout [UInt8]
    ) {
        // RFC 9110 §2.5: answer with the highest version we conform to, whatever the client spoke.
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(response.status.code, to: &out)
        out.append(0x20)
        out.append(contentsOf: response.status.reasonPhrase.utf8)
        out.append(contentsOf: "\r\nDate: ".utf8)
        out.append(contentsOf: date)
        for field in response.headers {
            out.append(0x0D); out.append(0x0A)
            out.append(contentsOf: field.name.utf8)
            out.append(0x3A); out.append(0x20)
            out.append(contentsOf: field.value.utf8)
        }
        if let bodyLength {
            // 304 announces no length: it would have to be the 200's (RFC 9110 §8.6), which it has not.
            if response.status.code != 204 && response.status.code != 304 && response.status.code >= 200 {
                out.append(contentsOf: "\r\nContent-Length: ".utf8)
                appendDecimal(bodyLength, to: &out)
            }
        } else if version == .http1_1 {
            out.append(contentsOf: "\r\nTransfer-Encoding: chunked".utf8)
        }
        if !keepAlive {
            out.append(contentsOf: "\r\nConnection: close".utf8)
        } else if version == .http1_0 {
            out.append(contentsOf: "\r\nConnection: keep-alive".utf8)
        }
        out.append(contentsOf: "\r\n\r\n".utf8)
    }

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(truncatingIfNeeded: value) + 0x30)
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var remaining = value
        withUnsafeMutableBytes(of: &digits) { raw in
            while remaining > 0 {
                raw[count] = UInt8(truncatingIfNeeded: remaining % 10) + 0x30
                remaining /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { out.append(raw[index]) }
        }
    }

    /// Whether a content type is worth compressing (text, JSON, CSV, XML, YAML).
    static func isCompressible(_ contentType: String?) -> Bool {
        guard let type = contentType?.lowercased() else { return false }
        return type.hasPrefix("text/") || type.contains("json") || type.contains("xml") || type.contains("yaml")
            || type.contains("csv")
    }
}
