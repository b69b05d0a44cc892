import Synchronization

/// Accepts a sane `X-Request-Id` or makes one (random prefix + counter), and echoes it.
public struct RequestIDMiddleware: HTTPMiddleware {
    private let prefix: String
    private let counter = Counter()

    final class Counter: Sendable {
        let value = Atomic<UInt64>(0)
        func next() -> UInt64 { value.wrappingAdd(1, ordering: .relaxed).newValue }
    }

    public init() {
        var generator = SystemRandomNumberGenerator()
        let random: UInt64 = generator.next()
        prefix = String(random & 0xFFFF_FFFF_FFFF, radix: 36)
    }

    public func handle(
        _ request: HTTPRequest, context: inout RequestContext,
        next: (HTTPRequest, inout RequestContext) throws -> HTTPResponse
    ) throws -> HTTPResponse {
        if let offered = request.headers["x-request-id"], Self.isAcceptable(offered) {
            context.requestID = offered
        } else {
            context.requestID = "\(prefix)-\(counter.next())"
        }
        context.logger[metadataKey: "request.id"] = .string(context.requestID)
        var response = try next(request, &context)
        response.headers.add("X-Request-Id", context.requestID)
        return response
    }

    /// Up to 128 visible characters from a safe set, so ids can be logged and echoed verbatim.
    static func isAcceptable(_ id: String) -> Bool {
        let utf8 = id.utf8
        return !utf8.isEmpty && utf8.count <= 128 && utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: ":")
        }
    }
}
