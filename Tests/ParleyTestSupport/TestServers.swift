import Glibc
import Logging
import ParleyApp
import ParleyCore
import ParleyHTTP
import Synchronization

/// A temporary directory for one test, removed afterwards.
public func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    var template = Array("/tmp/parley-test-XXXXXX".utf8CString)
    guard let path = mkdtemp(&template).map({ String(cString: $0) }) else { throw RawClient.Failure(description: "mkdtemp failed") }
    defer { _ = system("rm -rf '\(path)'") }
    return try body(path)
}

public func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    var template = Array("/tmp/parley-test-XXXXXX".utf8CString)
    guard let path = mkdtemp(&template).map({ String(cString: $0) }) else { throw RawClient.Failure(description: "mkdtemp failed") }
    defer { _ = system("rm -rf '\(path)'") }
    return try await body(path)
}

/// A quiet logger for tests.
public func testLogger() -> Logger {
    var logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    logger.logLevel = .critical
    return logger
}

/// Runs `body` against the bare HTTP server with `responder`, on an ephemeral port. A server that
/// has not stopped 30 s after its shutdown fails the test rather than hanging it.
public func withHTTPServer<T>(
    responder: any HTTPResponder, configure: (inout HTTPServerConfiguration) -> Void = { _ in },
    _ body: (HTTPServer) throws -> T
) throws -> T {
    var configuration = HTTPServerConfiguration()
    configuration.port = 0
    configuration.eventLoopCount = 2
    configure(&configuration)
    let server = try HTTPServer(configuration: configuration, responder: responder, logger: testLogger())
    try server.start()
    let result = Result { try body(server) }
    server.shutdown()
    guard server.wait(timeout: .seconds(30)) else {
        throw RawClient.Failure(description: "the server did not stop within 30 s of its shutdown")
    }
    return try result.get()
}

/// The admin key every test application is bootstrapped with.
public let testAdminKey = "test-admin-key-0000000001"

/// Runs `body` against the real application (real SQLite file, real server) on an ephemeral port.
public func withTestApp<T>(
    configure: (inout AppConfiguration) -> Void = { _ in }, clock: WallClock = .system, logger: Logger = testLogger(),
    _ body: (TestApp) throws -> T
) throws -> T {
    try withTemporaryDirectory { directory in
        try withTestApp(in: directory, configure: configure, clock: clock, logger: logger, body)
    }
}

/// Like `withTestApp`, on the database in `directory` (so a test can restart the server on it).
public func withTestApp<T>(
    in directory: String, configure: (inout AppConfiguration) -> Void = { _ in }, clock: WallClock = .system,
    logger: Logger = testLogger(), _ body: (TestApp) throws -> T
) throws -> T {
    var configuration = AppConfiguration()
    configuration.http.port = 0
    configuration.http.eventLoopCount = 2
    configuration.databasePath = directory + "/parley.db"
    configuration.outboxPath = directory + "/outbox.jsonl"
    configuration.bootstrapAdminKey = testAdminKey
    configuration.logLevel = .critical
    // Jobs run when a test asks (POST /v1/jobs/{name}/run with as_of), never on their own.
    configuration.dispatchIntervalSeconds = 0
    configure(&configuration)
    let app = try ParleyApplication(configuration: configuration, logger: logger, clock: clock)
    try app.start()
    let result = Result { try body(TestApp(app: app, directory: directory)) }
    app.shutdown()
    guard app.wait(timeout: .seconds(30)) else {
        throw RawClient.Failure(description: "the application did not stop within 30 s of its shutdown")
    }
    return try result.get()
}

public struct TestApp {
    public let app: ParleyApplication
    public let directory: String
    public var port: Int { app.port }
    public var admin: APIClient { APIClient(port: port, key: testAdminKey) }
    public func client(key: String?) -> APIClient { APIClient(port: port, key: key) }
}

/// Writes `text` to `path`; false on failure.
public func writeFile(_ path: String, _ text: String) -> Bool {
    guard let handle = fopen(path, "wb") else { return false }
    defer { fclose(handle) }
    let bytes = Array(text.utf8)
    return fwrite(bytes, 1, bytes.count, handle) == bytes.count
}

/// Keeps every log line in memory, so tests can check what the logs do and do not contain.
public final class CapturedLogs: Sendable {
    private let lines = Mutex<[String]>([])

    public init() {}

    public var text: String { lines.withLock { $0.joined(separator: "\n") } }

    public func logger(level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: "captured") { _ in CapturingHandler(sink: self) }
        logger.logLevel = level
        return logger
    }

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    struct CapturingHandler: LogHandler {
        let sink: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            var all = metadata
            if let extra = event.metadata { all.merge(extra) { $1 } }
            sink.append("\(event.level) \(event.message) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
        }
    }
}

/// A clock tests set by hand: services see exactly the instant the test chose.
public final class TestClock: Sendable {
    private let millis: Atomic<Int64>
    public init(_ rfc3339: String) { millis = Atomic(Instant(rfc3339: rfc3339)?.millisecondsSinceEpoch ?? 0) }
    public func set(_ rfc3339: String) { millis.store(Instant(rfc3339: rfc3339)?.millisecondsSinceEpoch ?? 0, ordering: .relaxed) }
    public var clock: WallClock { WallClock { [self] in Instant(millisecondsSinceEpoch: millis.load(ordering: .relaxed)) } }
}
