/// How the server listens, what it accepts and how long it waits.
public struct HTTPServerConfiguration: Sendable, Equatable {
    /// The address to bind; `127.0.0.1` by default, `0.0.0.0` in containers.
    public var host = "127.0.0.1"
    /// The port to bind; 0 lets the kernel pick one (tests).
    public var port = 8080
    public var limits = HTTPLimits()
    /// Time allowed from the first byte of a request to the end of its header section (slowloris guard).
    public var headerTimeout: Duration = .seconds(10)
    /// Time allowed between the end of the header section and the end of the body.
    public var bodyTimeout: Duration = .seconds(30)
    /// How long an idle keep-alive connection stays open.
    public var idleTimeout: Duration = .seconds(60)
    /// How long a response may take to drain to a slow reader.
    public var writeTimeout: Duration = .seconds(30)
    /// Connections beyond this are answered 503 and closed at once.
    public var maxConnections = 4_096
    /// Connections one client address may hold; beyond this it is answered 503, so one address
    /// (a flood of idle sockets) cannot take every slot from everyone else.
    public var maxConnectionsPerAddress = 2_048
    /// Event-loop threads; 0 means one per core.
    public var eventLoopCount = 0
    /// Threads that run request handlers. Handlers wait on SQLite (and writes on their turn in a
    /// group commit), so there are several per core: enough requests in flight to share commits.
    public var handlerThreads = 64
    /// Nice levels the threads that serve requests (event loops, handlers, streams) run below the
    /// process; 0 keeps its priority. For a process whose database writer thread could not be
    /// raised above them, so that they do not preempt it (see `RequestThreadPriority`).
    public var requestThreadNiceness: Int32 = 0
    /// Streamed responses (exports) written at once, each on its own thread; beyond this, 503.
    public var maxConcurrentStreams = 32
    /// How long a graceful shutdown waits for in-flight requests.
    public var shutdownGracePeriod: Duration = .seconds(10)
    /// The listen(2) backlog.
    public var backlog: Int32 = 1_024

    public init() {}
}

extension Duration {
    /// Whole milliseconds, for timers and poll(2).
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }
}
