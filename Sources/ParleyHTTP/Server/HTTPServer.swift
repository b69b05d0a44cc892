import CParleySystem
import Dispatch
import Glibc
import Logging
import Synchronization

/// An HTTP/1.1 server on POSIX sockets: a listening socket shared by a few epoll event loops.
///
/// `start()` returns once the socket is bound (so `port` is known, even for port 0);
/// `shutdown()` stops accepting and lets in-flight requests finish within the grace period;
/// `wait()` returns when every loop has ended.
public final class HTTPServer: Sendable {
    private let state: ServerState
    private let listener: Int32
    private let loops: [EventLoop]
    private let finished = DispatchGroup()
    /// Set by `release()`, which the first wait to see the loops end calls.
    private let released = Atomic<Bool>(false)
    /// The port actually bound.
    public let port: Int

    /// `accessLog` and `metrics` also record the requests refused before routing (see `RefusalRecorder`).
    public init(configuration: HTTPServerConfiguration, responder: any HTTPResponder, logger: Logger,
                accessLog: (any AccessLogWriter)? = nil, metrics: MetricsRegistry? = nil) throws {
        signal(SIGPIPE, SIG_IGN)
        Self.raiseFileLimit(toAtLeast: configuration.maxConnections + 256)
        state = ServerState(configuration: configuration, responder: responder, logger: logger,
                            refusals: RefusalRecorder(accessLog: accessLog, metrics: metrics))
        do {
            (listener, port) = try Socket.listen(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        } catch {
            throw ListenError(host: configuration.host, port: configuration.port, cause: error)
        }
        let count = configuration.eventLoopCount > 0
            ? configuration.eventLoopCount : max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        do {
            var loops: [EventLoop] = []
            for _ in 0..<count { loops.append(try EventLoop(state: state, listener: listener)) }
            self.loops = loops
        } catch {
            close(listener)
            throw error
        }
    }

    /// Raises the soft open-files limit towards what the connection cap needs (up to the hard
    /// limit), as nginx's `worker_rlimit_nofile` does; a low default would otherwise cap connections.
    static func raiseFileLimit(toAtLeast wanted: Int) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < rlim_t(wanted) else { return }
        limit.rlim_cur = min(rlim_t(wanted), limit.rlim_max)
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    /// Starts the event-loop threads.
    /// Starts one thread per event loop; a thread that cannot be created stops the loops already
    /// started and is an error (a loop must never run on the caller's thread).
    public func start() throws {
        try state.handlers.start(name: "parley-handler")
        for (index, loop) in loops.enumerated() {
            finished.enter()
            let thread = LoopThread { [finished] in
                RequestThreadPriority.lower(by: loop.state.configuration.requestThreadNiceness)
                loop.run()
                finished.leave()
            }
            do {
                try thread.start(name: "parley-http-\(index)")
            } catch {
                finished.leave()
                shutdown()
                state.handlers.stop()
                throw error
            }
        }
    }

    /// The number of open client connections.
    public var openConnections: Int { state.openConnections.load(ordering: .relaxed) }

    /// Stops accepting; idle connections close now, busy ones after their answer (bounded by the grace period).
    public func shutdown() {
        guard !state.draining.exchange(true, ordering: .acquiringAndReleasing) else { return }
        for loop in loops { loop.requestStop() }
        // Out of the listening state at once, as nginx closes its listeners: a new client is refused
        // (and one waiting in the backlog reset) rather than left to hang until the drain ends. The
        // descriptor itself stays open until `release()`, so its number cannot be reused meanwhile.
        // (Not once `release()` has closed it: the number may belong to another descriptor by then.)
        if !released.load(ordering: .acquiring), Glibc.shutdown(listener, Int32(SHUT_RDWR)) != 0 {
            state.logger.warning("cannot shut the listening socket down", metadata: ["errno": "\(errno)"])
        }
    }

    /// Blocks until every loop has ended, then releases the listening socket. May be called more than once.
    public func wait() {
        finished.wait()
        release()
    }

    /// Like `wait()`, but gives up after `timeout`: false when a loop is still running then (the
    /// listening socket is kept). Tests use it so a server that fails to stop fails the test.
    public func wait(timeout: Duration) -> Bool {
        guard finished.wait(timeout: .now() + .milliseconds(Int(timeout.milliseconds))) == .success else { return false }
        release()
        return true
    }

    /// Stops the handler threads and closes the listening socket, exactly once (a second close
    /// could close a descriptor that number has been given to since).
    private func release() {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        state.handlers.stop()
        close(listener)
    }
}

/// `pthread_create` failed (out of memory or the process's thread limit).
public struct ThreadStartError: Error, CustomStringConvertible {
    public let name: String
    public let code: Int32
    public var description: String { "cannot start thread \(name): error \(code)" }
}

/// A plain pthread for a long-running loop.
final class LoopThread: @unchecked Sendable {
    // @unchecked: `body` is only read by the new thread, once, after `start` hands it over.
    private let body: @Sendable () -> Void

    init(_ body: @escaping @Sendable () -> Void) { self.body = body }

    func start(name: String) throws {
        let unmanaged = Unmanaged.passRetained(self)
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { argument in
            guard let argument else { return nil }
            let box = Unmanaged<LoopThread>.fromOpaque(argument).takeRetainedValue()
            box.body()
            return nil
        }, unmanaged.toOpaque())
        if status == 0 {
            pthread_setname_np(thread, String(name.prefix(15)))
            pthread_detach(thread)
        } else {
            unmanaged.release()
            throw ThreadStartError(name: name, code: status)
        }
    }
}
