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
        let claimed = running.withLock { $0.insert(key).inserted }
        guard claimed else { throw DomainError.conflict("a request with this Idempotency-Key is still being processed") }
        defer { _ = running.withLock { $0.remove(key) } }
        let outcome = try store.perform(key, requestHash: Hashing.hex(Hashing.sha256(request.body)), at: clock.now()) {
            let response: HTTPResponse
            do {
                response = try handler()
            } catch {
                let refusal = ProblemRenderer.render(error, context: context)
                // A server-side failure records nothing, so the client may retry.
                guard refusal.status.code < 500 else { throw error }
                return IdempotentResult(value: refusal, recorded: Self.encode(refusal), keepsChanges: false)
            }
            return IdempotentResult(value: response, recorded: Self.encode(response), keepsChanges: response.status.code < 500)
        }
        switch outcome {
        case .performed(let response): return response
        case .mismatch: throw DomainError.unprocessable("this Idempotency-Key was used with a different request body")
        case .replay(let recorded):
            return try Self.replay(recorded)
        }
    }

    /// The same for work that cannot join the record's transaction (an import writes its pieces
    /// in transactions of their own): a recorded answer is looked up first, the work runs, and its
    /// answer is recorded after it. A crash in between leaves the work done and no record; the
    /// retry does it again, which for an import changes nothing (its rows are then `unchanged`).
    func runThenRecord(_ key: IdempotencyKey, request: HTTPRequest, context: RequestContext,
                       _ handler: () throws -> HTTPResponse) throws -> HTTPResponse {
        let claimed = running.withLock { $0.insert(key).inserted }
        guard claimed else { throw DomainError.conflict("a request with this Idempotency-Key is still being processed") }
        defer { _ = running.withLock { $0.remove(key) } }
        let requestHash = Hashing.hex(Hashing.sha256(request.body))
        if let existing = try store.recorded(key, at: clock.now()) {
            guard existing.requestHash == requestHash else {
                throw DomainError.unprocessable("this Idempotency-Key was used with a different request body")
            }
            return try Self.replay(existing.response)
        }
        let response: HTTPResponse
        do {
            response = try handler()
        } catch {
            let refusal = ProblemRenderer.render(error, context: context)
            guard refusal.status.code < 500 else { throw error }
            try store.record(key, requestHash: requestHash, response: Self.encode(refusal), at: clock.now())
            return refusal
        }
        if response.status.code < 500 {
            try store.record(key, requestHash: requestHash, response: Self.encode(response), at: clock.now())
        }
        return response
    }

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
