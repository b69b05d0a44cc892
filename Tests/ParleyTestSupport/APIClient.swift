import ParleyCore
import ParleyHTTP

/// A JSON client for end-to-end tests: one request per connection, real HTTP over a socket.
public struct APIClient: Sendable {
    public let port: Int
    public let key: String?
    /// How long a request may take before the test fails (bulk imports on a busy machine take long).
    public var timeoutSeconds = 5

    public init(port: Int, key: String?, timeoutSeconds: Int = 5) {
        self.port = port
        self.key = key
        self.timeoutSeconds = timeoutSeconds
    }

    public struct Response: Sendable {
        public let status: Int
        public let headers: HTTPHeaders
        public let body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
        /// The body parsed as JSON (`.null` when it is not JSON).
        public var json: JSONValue { (try? JSONParser.parse(body)) ?? .null }
        public subscript(key: String) -> JSONValue? { json[key] }
    }

    public func request(
        _ method: String, _ path: String, json: String? = nil, body: [UInt8]? = nil, contentType: String? = nil,
        headers: [(String, String)] = []
    ) throws -> Response {
        let client = try RawClient(port: port, timeoutSeconds: timeoutSeconds)
        let payload = body ?? json.map { Array($0.utf8) } ?? []
        var head = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        if let key { head += "Authorization: Bearer \(key)\r\n" }
        if let type = contentType ?? (json != nil ? "application/json" : nil) { head += "Content-Type: \(type)\r\n" }
        if !payload.isEmpty || method == "POST" || method == "PUT" || method == "PATCH" {
            head += "Content-Length: \(payload.count)\r\n"
        }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        try client.send(Array(head.utf8) + payload)
        let raw = try client.readResponse(head: method == "HEAD")
        return Response(status: raw.status, headers: raw.headers, body: raw.body)
    }

    public func get(_ path: String, headers: [(String, String)] = []) throws -> Response {
        try request("GET", path, headers: headers)
    }

    public func post(_ path: String, _ json: String, headers: [(String, String)] = []) throws -> Response {
        try request("POST", path, json: json, headers: headers)
    }

    public func patch(_ path: String, _ json: String, headers: [(String, String)] = []) throws -> Response {
        try request("PATCH", path, json: json, headers: headers)
    }

    public func delete(_ path: String) throws -> Response { try request("DELETE", path) }

    /// Creates a user through the API and returns its id and a client holding its key.
    public func createUser(name: String = "Test User", role: String, team: String? = nil) throws -> (id: String, client: APIClient) {
        let teamJSON = team.map { "\"\($0)\"" } ?? "null"
        let response = try post("/v1/users", "{\"name\":\"\(name)\",\"role\":\"\(role)\",\"team\":\(teamJSON)}")
        guard response.status == 201, let id = response["id"]?.string, let key = response["api_key"]?.string else {
            throw RawClient.Failure(description: "creating a user failed: \(response.status) \(response.text)")
        }
        return (id, APIClient(port: port, key: key))
    }
}

/// The `data` items of a list response (empty when there are none).
public func items(_ response: APIClient.Response) -> [JSONValue] {
    if case .array(let items)? = response["data"] { return items }
    return []
}

extension APIClient {
    /// Every item of a paged collection, following `next_cursor` to the end.
    public func allItems(_ path: String) throws -> [JSONValue] {
        var collected: [JSONValue] = []
        var cursor: String?
        repeat {
            let separator = path.contains("?") ? "&" : "?"
            let page = try get(path + separator + "limit=200" + (cursor.map { "&cursor=" + $0 } ?? ""))
            collected += items(page)
            cursor = page["next_cursor"]?.string
        } while cursor != nil
        return collected
    }
}
