import Synchronization

/// Request ids: a random per-process prefix and a counter, so ids are unique and cheap. The
/// server's own error answers take theirs from here too.
public enum RequestID {
    private static let prefix: String = {
        var generator = SystemRandomNumberGenerator()
        let random: UInt64 = generator.next()
        return String(random & 0xFFFF_FFFF_FFFF, radix: 36)
    }()
    private static let counter = Atomic<UInt64>(0)

    public static func make() -> String { prefix + "-" + String(counter.wrappingAdd(1, ordering: .relaxed).newValue) }
}

/// Accepts a sane `X-Request-Id` or makes one, and echoes it.
public struct RequestIDMiddleware: HTTPMiddleware {
    public init() {}

    public func handle(
        _ request: HTTPRequest, context: inout RequestContext,
        next: (HTTPRequest, inout RequestContext) throws -> HTTPResponse
    ) throws -> HTTPResponse {
        if let offered = request.headers["x-request-id"], Self.isAcceptable(offered) {
            context.requestID = offered
        } else {
            context.requestID = RequestID.make()
        }
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
