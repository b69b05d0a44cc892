import Glibc
import Logging
import ParleyCore
import ParleyHTTP
import ParleyJSON

/// Writes one JSON object per line to standard error: `ts`, `level`, `logger`, `msg`, then metadata.
/// Lines go through `LogSink`, whole, so lines from different threads never interleave.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Starts a line: `{"ts":…,"level":…,"logger":…,"msg":…` (the caller adds fields and ends it).
    static func beginLine(level: Logger.Level, label: String, message: String) -> JSONWriter {
        // Room for a request's access line, so it is written without growing the buffer.
        var writer = JSONWriter(capacity: 512)
        writer.beginObject()
        writer.field("ts", WallClock.system.now())
        writer.field("level", level.rawValue)
        writer.field("logger", label)
        writer.field("msg", message)
        return writer
    }

    /// Ends a line and hands it to the sink (warnings and worse are written through at once).
    static func endLine(_ writer: inout JSONWriter, level: Logger.Level) {
        writer.endObject()
        // Taken, not copied: the line feed is then appended in place.
        var line = writer.takeBytes()
        line.append(0x0A)
        LogSink.standardError.write(line, urgent: level >= .warning)
    }

    public func log(event: LogEvent) {
        var writer = Self.beginLine(level: event.level, label: label, message: "\(event.message)")
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            writer.key(dynamic: key)
            writer.string("\(value)")
        }
        Self.endLine(&writer, level: event.level)
    }
}

/// Access-log lines in the same JSON shape as `JSONLogHandler`'s (keys after `msg` sorted), written
/// straight into bytes.
public struct JSONAccessLog: AccessLogWriter {
    private let level: Logger.Level
    private let label: String

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.level = level
    }

    public func isEnabled(_ level: Logger.Level) -> Bool { self.level <= level }

    public func write(_ entry: AccessLogEntry) {
        var writer = JSONLogHandler.beginLine(level: entry.level, label: label, message: "request")
        // Numbers as the strings they have always been, written straight into the line.
        writer.field("http.duration_ms", quotedASCII: AccessLogEntry.durationMaxCount) { entry.writeDurationMilliseconds(to: $0) }
        writer.field("http.method", entry.method)
        writer.field("http.response_bytes", quotedASCII: 20) { JSONWriter.writeDecimal(Int64(entry.responseBytes), to: $0) }
        writer.field("http.route", entry.route)
        writer.field("http.status", quotedASCII: 20) { JSONWriter.writeDecimal(Int64(entry.status), to: $0) }
        writer.field("request.id", entry.requestID)
        if let userID = entry.userID { writer.field("user.id", userID) }
        JSONLogHandler.endLine(&writer, level: entry.level)
    }
}
