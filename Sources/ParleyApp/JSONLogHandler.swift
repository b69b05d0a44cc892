import Glibc
import Logging
import ParleyCore

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

    public func log(event: LogEvent) {
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        writer.field("ts", WallClock.system.now())
        writer.field("level", event.level.rawValue)
        writer.field("logger", label)
        writer.field("msg", "\(event.message)")
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            writer.key(dynamic: key)
            writer.string("\(value)")
        }
        writer.endObject()
        var line = writer.bytes
        line.append(0x0A)
        LogSink.standardError.write(line, urgent: event.level >= .warning)
    }
}
