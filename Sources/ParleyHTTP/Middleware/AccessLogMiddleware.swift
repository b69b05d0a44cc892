import Logging
import ParleyJSON

/// One access-log line's facts: method, route pattern (never the raw path, which may carry ids or
/// search terms), status, duration, response bytes, the request id and the user.
public struct AccessLogEntry: Sendable {
    public let level: Logger.Level
    public let method: String
    public let route: String
    public let status: Int
    public let durationMicroseconds: Int64
    public let responseBytes: Int
    public let requestID: String
    public let userID: String?

    /// The duration in milliseconds with three decimals (`12.345`).
    public var durationMilliseconds: String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.durationMaxCount) { scratch in
            let count = writeDurationMilliseconds(to: scratch.baseAddress!)
            return String(decoding: UnsafeBufferPointer(start: scratch.baseAddress!, count: count), as: UTF8.self)
        }
    }

    /// The level of a request's line: error when the server failed it. 501 (a transfer coding it
    /// does not implement) and 505 (an HTTP version it does not speak) are the client's doing, so
    /// a scanner's probes do not raise errors.
    public static func level(of status: Int) -> Logger.Level {
        status >= 500 && status != 501 && status != 505 ? .error : .info
    }

    /// The most bytes `writeDurationMilliseconds` writes.
    public static let durationMaxCount = 24

    /// The duration in milliseconds with three decimals (`2.906`) at `out`; returns how many bytes.
    public func writeDurationMilliseconds(to out: UnsafeMutablePointer<UInt8>) -> Int {
        let micros = max(0, durationMicroseconds)
        var at = JSONWriter.writeDecimal(micros / 1_000, to: out)
        out[at] = UInt8(ascii: ".")
        var fraction = micros % 1_000
        for index in stride(from: at + 3, to: at, by: -1) {
            out[index] = UInt8(ascii: "0") + UInt8(fraction % 10)
            fraction /= 10
        }
        at += 4
        return at
    }
}

/// Writes access-log lines; the application's writer formats them straight into bytes, with no
/// metadata dictionaries on the way (a line is written for every request).
public protocol AccessLogWriter: Sendable {
    /// Whether lines of `level` are written at all.
    func isEnabled(_ level: Logger.Level) -> Bool
    func write(_ entry: AccessLogEntry)
}

/// One log line per request; 5xx at error level. Without a writer, lines go through the request's logger.
public struct AccessLogMiddleware: HTTPMiddleware {
    private let writer: (any AccessLogWriter)?

    public init(writer: (any AccessLogWriter)? = nil) { self.writer = writer }

    public func handle(
        _ request: HTTPRequest, context: inout RequestContext,
        next: (HTTPRequest, inout RequestContext) throws -> HTTPResponse
    ) throws -> HTTPResponse {
        let response = try next(request, &context)
        let level = AccessLogEntry.level(of: response.status.code)
        guard writer?.isEnabled(level) ?? (context.logger.logLevel <= level) else { return response }
        let (method, route, status, requestID, userID) = (request.method, context.route, response.status.code, context.requestID, context.userID)
        let startedAt = context.startedAt
        @Sendable func entry(bytes: Int) -> AccessLogEntry {
            let elapsed = (ContinuousClock.now - startedAt).components
            return AccessLogEntry(
                level: level, method: method, route: route, status: status,
                durationMicroseconds: elapsed.seconds * 1_000_000 + elapsed.attoseconds / 1_000_000_000_000,
                responseBytes: bytes, requestID: requestID, userID: userID)
        }
        // The request's logger is built only without a writer: it carries a metadata dictionary.
        let logger = writer == nil ? context.logger : nil
        // A streamed answer (the CSV export) is logged when its last byte is written, with its size.
        if response.isStreamed {
            let writer = writer
            return response.whenStreamFinishes { bytes in Self.write(entry(bytes: bytes), writer: writer, logger: logger) }
        }
        Self.write(entry(bytes: response.bodyBytes.count), writer: writer, logger: logger)
        return response
    }

    private static func write(_ entry: AccessLogEntry, writer: (any AccessLogWriter)?, logger: Logger?) {
        if let writer {
            writer.write(entry)
        } else if let logger {
            logger.log(level: entry.level, "request", metadata: [
                "http.method": .string(entry.method),
                "http.route": .string(entry.route),
                "http.status": .stringConvertible(entry.status),
                "http.duration_ms": .string(entry.durationMilliseconds),
                "http.response_bytes": .stringConvertible(entry.responseBytes),
            ])
        }
    }
}
