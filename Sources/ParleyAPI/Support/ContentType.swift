/// A request's `Content-Type` (RFC 9110 §8.3): its media type, lowered, and whether it names a
/// character set other than UTF-8, which JSON (RFC 8259 §8.1) and the placement CSV must be in.
struct ContentType {
    let mediaType: String
    /// The `charset` parameter, lowered and unquoted; nil when absent.
    let charset: String?

    init(_ header: String) {
        let parts = header.split(separator: ";", omittingEmptySubsequences: false)
        mediaType = parts.first.map { String($0).trimmingSpaces.lowercased() } ?? ""
        var charset: String?
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, String(pair[0]).trimmingSpaces.lowercased() == "charset" else { continue }
            var value = String(pair[1]).trimmingSpaces.lowercased()
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            charset = value
            break
        }
        self.charset = charset
    }

    /// Whether the body is declared in UTF-8 (or US-ASCII, a subset), or in no charset at all
    /// (then UTF-8 is assumed).
    var isUTF8: Bool { charset == nil || ["utf-8", "utf8", "us-ascii"].contains(charset) }

    /// 415 unless the body is declared as `expected` in UTF-8.
    static func require(_ expected: String, in header: String?, otherwise advice: String) throws {
        guard let header else { throw APIError.unsupportedMediaType(advice) }
        let type = ContentType(header)
        guard type.mediaType == expected else {
            throw APIError.unsupportedMediaType("\(type.mediaType) is not accepted here; \(advice)")
        }
        guard type.isUTF8 else {
            throw APIError.unsupportedMediaType("charset \(type.charset ?? "") is not accepted: the body must be UTF-8")
        }
    }
}
