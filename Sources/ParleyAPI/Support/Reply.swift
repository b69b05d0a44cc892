import ParleyCore
import ParleyHTTP

/// Building JSON responses.
enum Reply {
    static func json(_ status: HTTPStatus = .ok, etag version: Int64? = nil, location: String? = nil,
                     _ build: (inout JSONWriter) -> Void) -> HTTPResponse {
        var writer = JSONWriter(capacity: 1024)
        build(&writer)
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/json")
        if let version { headers.add("ETag", "\"\(version)\"") }
        if let location { headers.add("Location", location) }
        return HTTPResponse(status: status, headers: headers, body: writer.bytes)
    }

    static func noContent() -> HTTPResponse { HTTPResponse(status: .noContent) }

    /// `{"data":[…],"next_cursor":…}` for a page of items.
    static func page<Item>(_ page: Page<Item>, _ writeItem: (inout JSONWriter, Item) -> Void) -> HTTPResponse {
        json { writer in
            writer.beginObject()
            writer.key("data")
            writer.beginArray()
            for item in page.items { writeItem(&writer, item) }
            writer.endArray()
            writer.field("next_cursor", page.nextAfter.map(Cursor.encode))
            writer.endObject()
        }
    }
}

/// Cursors are opaque to clients: base64url of the last id seen.
enum Cursor {
    static func encode(_ after: String) -> String { Hashing.base64URL(Array(after.utf8)) }

    static func decode(_ cursor: String) -> String? {
        Hashing.base64URLDecode(cursor).flatMap { String(validating: $0, as: UTF8.self) }
    }
}

extension HTTPRequest {
    /// `limit` (1–200, default 50) and `cursor` from the query; bad values are 422 naming the parameter.
    func pageRequest() throws -> PageRequest {
        let query = queryParameters
        var failure = ValidationFailure()
        var limit = PageRequest.defaultLimit
        if let text = query["limit"] {
            if let value = Int(text), (1...PageRequest.maximumLimit).contains(value) {
                limit = value
            } else {
                failure.add("limit", "must be an integer from 1 to \(PageRequest.maximumLimit)")
            }
        }
        var after: String?
        if let cursor = query["cursor"], !cursor.isEmpty {
            after = Cursor.decode(cursor)
            if after == nil { failure.add("cursor", "is not a cursor this API issued") }
        }
        try failure.throwIfAny()
        return PageRequest(limit: limit, after: after)
    }

    /// The version an `If-Match` names: nil when absent or `*`. A weak or malformed tag can never
    /// match a current version, so it is a 412 straight away.
    func ifMatchVersion() throws -> Int64? {
        guard let header = headers["if-match"]?.trimmingSpaces else { return nil }
        if header == "*" { return nil }
        let first = header.split(separator: ",").first.map { String($0).trimmingSpaces } ?? ""
        guard first.hasPrefix("\""), first.hasSuffix("\""), first.count >= 3,
              let version = Int64(first.dropFirst().dropLast())
        else { throw DomainError.preconditionFailed("If-Match must name a current ETag such as \"3\"") }
        return version
    }

    /// An instant query parameter (RFC 3339, or a date meaning its UTC midnight).
    func instantParameter(_ name: String, failure: inout ValidationFailure) -> Instant? {
        guard let text = queryParameters[name], !text.isEmpty else { return nil }
        if let instant = Instant(rfc3339: text) { return instant }
        if let date = CalendarDate(iso: text) { return date.startInstantUTC }
        failure.add(name, "must be an RFC 3339 instant or a YYYY-MM-DD date")
        return nil
    }
}
