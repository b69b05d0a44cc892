import ParleyCore
import ParleyHTTP

/// Building JSON responses.
enum Reply {
    static func json(_ status: HTTPStatus = .ok, etag version: Int64? = nil, location: String? = nil, capacity: Int = 1024,
                     _ build: (inout JSONWriter) -> Void) -> HTTPResponse {
        var writer = JSONWriter(capacity: capacity)
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
        // Room for typical items up front: growing a 50-case page from 1 KiB copied it eight times.
        json(capacity: 256 + 1_024 * page.items.count) { writer in
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

/// What a list's cursor decodes to: the key of the item it continues after. A cursor must decode to
/// a key of that list, so one from another list (or made up) is 422 rather than a silent restart.
enum CursorKey {
    /// A prefixed id (`usr_01M8…`): `usr`.
    case id(String)
    /// A template's name.
    case templateName
    /// A communication's position (occurred_at, then id) in a newest-first list.
    case communicationPosition
    /// A timeline event's position.
    case timelinePosition
    /// An audit entry's sequence number.
    case auditSequence

    func accepts(_ key: String) -> Bool {
        switch self {
        case .id(let prefix):
            let utf8 = key.utf8
            return key.hasPrefix(prefix + "_") && utf8.count == prefix.utf8.count + 27
                && utf8.dropFirst(prefix.utf8.count + 1).allSatisfy { Self.crockford.contains($0) }
        case .templateName: return MessageService.isTemplateName(key)
        case .communicationPosition: return Communication.parsePosition(key).map { CursorKey.id("com").accepts($0.1) } ?? false
        case .timelinePosition: return TimelineEvent.parsePosition(key) != nil
        case .auditSequence: return Int64(key).map { $0 > 0 } ?? false
        }
    }

    private static let crockford = Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
}

extension HTTPRequest {
    /// `limit` (1–200, default 50) and `cursor` from the query; bad values are 422 naming the parameter.
    func pageRequest(_ key: CursorKey) throws -> PageRequest {
        var failure = ValidationFailure()
        let page = pageRequest(key, failure: &failure)
        try failure.throwIfAny()
        return page
    }

    /// A list's filters, read by `filters`, and its page: one 422 names every failing parameter
    /// of both (a bad `status` does not hide a bad `limit`).
    func listQuery<Filter>(_ key: CursorKey, _ filters: () throws -> Filter) throws -> (Filter, PageRequest) {
        var pageFailure = ValidationFailure()
        let page = pageRequest(key, failure: &pageFailure)
        let filter: Filter
        do {
            filter = try filters()
        } catch var failure as ValidationFailure {
            failure.mergeNewFields(pageFailure)
            throw failure
        }
        try pageFailure.throwIfAny()
        return (filter, page)
    }

    /// The page asked for; what fails is added to `failure`, for the list to report with its
    /// other parameters.
    func pageRequest(_ key: CursorKey, failure: inout ValidationFailure) -> PageRequest {
        let query = queryParameters
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
            if !(after.map(key.accepts) ?? false) { failure.add("cursor", "is not a cursor of this list") }
        }
        return PageRequest(limit: limit, after: after)
    }

    /// The versions an `If-Match` names (RFC 9110 §13.1.1): nil when the header is absent or `*`;
    /// otherwise the versions of its strong entity tags, one of which must be current. A header
    /// that names no version (weak tags only, or malformed) can never match, so it is 412 at once.
    func ifMatchVersions() throws -> Set<Int64>? {
        guard let header = headers["if-match"] else { return nil }
        var versions = Set<Int64>()
        var rest = Substring(header)
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "," }
            guard let first = rest.first else { break }
            if first == "*" { return nil }
            let weak = rest.hasPrefix("W/")
            if weak { rest = rest.dropFirst(2) }
            guard rest.first == "\"", let close = rest.dropFirst().firstIndex(of: "\"") else { break }
            let tag = rest[rest.index(after: rest.startIndex)..<close]
            if !weak, !tag.isEmpty, tag.utf8.count <= 18, tag.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let version = Int64(tag) {
                versions.insert(version)
            }
            rest = rest[rest.index(after: close)...]
        }
        guard !versions.isEmpty else {
            throw DomainError.preconditionFailed("If-Match names no strong entity tag: send the ETag this resource was read with (a quoted version, as in \"3\")")
        }
        return versions
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
