import ParleyCore
import ParleyHTTP
import Synchronization

/// `Idempotency-Key` handling (contract §1, §15): the first answer is recorded in the same
/// transaction as the mutation and replayed byte for byte (status, `Content-Type`, `Location`,
/// `ETag`, body); the same key with another body is 422; a duplicate while the first still runs is 409.
final class IdempotentRequests: Sendable {
    private let store: any IdempotencyStore
    private let clock: WallClock
    /// Keys whose first request is running in this process. Nothing about a running request is
    /// stored, so a crash leaves no claim behind to block or confuse a retry.
    private let running = Mutex<Set<IdempotencyKey>>([])

    /// The response headers a replay repeats.
    static let recordedHeaders = ["Content-Type", "Location", "ETag"]

    init(store: any IdempotencyStore, clock: WallClock) {
        self.store = store
        self.clock = clock
    }

    /// The caller, the method and the concrete path scope a key.
    static func key(_ key: String, request: HTTPRequest, userID: String) -> IdempotencyKey {
        IdempotencyKey(scope: userID + " " + request.method + " " + String(request.path), key: key)
    }

    func run(_ key: IdempotencyKey, request: HTTPRequest, context: RequestContext,
             _ handler: () throws -> HTTPResponse) throws -> HTTPResponse {
        try claiming(key) {
            let outcome = try store.perform(key, requestHash: Self.hash(request), at: clock.now()) {
                let answer = try Self.answer(context, handler)
                return IdempotentResult(value: answer.response, recorded: Self.encode(answer.response), keepsChanges: answer.keepsChanges)
            }
            switch outcome {
            case .performed(let response): return response
            case .mismatch: throw Self.mismatch
            case .replay(let recorded): return try Self.replay(recorded)
            }
        }
    }

    /// The same for work that cannot join the record's transaction (an import writes its pieces
    /// in transactions of their own): a recorded answer is looked up first, the work runs, and its
    /// answer is recorded after it. A crash in between leaves the work done and no record; the
    /// retry does it again, which for an import changes nothing (its rows are then `unchanged`).
    func runThenRecord(_ key: IdempotencyKey, request: HTTPRequest, context: RequestContext,
                       _ handler: () throws -> HTTPResponse) throws -> HTTPResponse {
        try claiming(key) {
            let requestHash = Self.hash(request)
            if let existing = try store.recorded(key, at: clock.now()) {
                guard existing.requestHash == requestHash else { throw Self.mismatch }
                return try Self.replay(existing.response)
            }
            let answer = try Self.answer(context, handler)
            if answer.response.status.code < 500 {
                try store.record(key, requestHash: requestHash, response: Self.encode(answer.response), at: clock.now())
            }
            return answer.response
        }
    }

    /// Runs `body` while this process holds `key`: a duplicate arriving meanwhile is 409.
    private func claiming(_ key: IdempotencyKey, _ body: () throws -> HTTPResponse) throws -> HTTPResponse {
        let claimed = running.withLock { $0.insert(key).inserted }
        guard claimed else { throw DomainError.conflict("a request with this Idempotency-Key is still being processed") }
        defer { _ = running.withLock { $0.remove(key) } }
        return try body()
    }

    /// The handler's answer to record, a refusal rendered as the client sees it, and whether its
    /// changes are kept (a refusal keeps none). A server-side failure thrown (5xx) is thrown on:
    /// nothing is recorded, so the client may retry.
    private static func answer(_ context: RequestContext, _ handler: () throws -> HTTPResponse) throws
        -> (response: HTTPResponse, keepsChanges: Bool) {
        let response: HTTPResponse
        do {
            response = try handler()
        } catch {
            let refusal = ProblemRenderer.render(error, context: context)
            guard refusal.status.code < 500 else { throw error }
            return (refusal, false)
        }
        return (response, response.status.code < 500)
    }

    private static func hash(_ request: HTTPRequest) -> String { Hashing.hex(Hashing.sha256(request.body)) }

    private static let mismatch = DomainError.unprocessable("this Idempotency-Key was used with a different request body")

    private static func replay(_ recorded: [UInt8]) throws -> HTTPResponse {
        guard var response = decode(recorded) else { throw CorruptDataError("an idempotency record could not be read") }
        response.headers.add("Idempotent-Replayed", "true")
        return response
    }

    /// `status\n`, then `Name: value\n` per recorded header, a blank line, then the body.
    static func encode(_ response: HTTPResponse) -> [UInt8] {
        var text = String(response.status.code) + "\n"
        for name in recordedHeaders {
            if let value = response.headers[name] { text += name + ": " + value + "\n" }
        }
        return Array((text + "\n").utf8) + response.bodyBytes
    }

    static func decode(_ bytes: [UInt8]) -> HTTPResponse? {
        let newline = UInt8(ascii: "\n")
        var lines: [String] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            if bytes[index] == newline {
                if index == start { break }
                lines.append(String(decoding: bytes[start..<index], as: UTF8.self))
                start = index + 1
            }
            index += 1
        }
        guard index < bytes.count, let first = lines.first, let code = Int(first) else { return nil }
        var headers = HTTPHeaders()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            headers.add(String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingSpaces)
        }
        return HTTPResponse(status: HTTPStatus(code), headers: headers, body: Array(bytes[(index + 1)...]))
    }
}
