import CParleySystem
import Dispatch
import Glibc
import Logging
import Synchronization

/// One event-loop thread: an epoll instance, the connections registered with it and their timers.
///
/// Reading, parsing and writing happen here; handlers run on Dispatch's worker threads and hand
/// their answer back through `mailbox` and an eventfd wake-up, so a slow handler never stalls the loop.
/// Streamed bodies get a thread of their own (see `stream`).
/// Sockets are edge-triggered: a readiness event is acted on now or remembered (`readPending`).
final class EventLoop: @unchecked Sendable {
    // @unchecked: everything but `mailbox`, `wakePending` and `stopRequested` is touched only on the
    // loop's own thread; those three are synchronised (Mutex and atomics).

    enum Completion: Sendable {
        case encoded(fd: Int32, serial: UInt64, bytes: [UInt8], keepAlive: Bool)
        case streamed(fd: Int32, serial: UInt64, succeeded: Bool, keepAlive: Bool)
    }

    private let state: ServerState
    private let listener: Int32
    private let epollFD: Int32
    private let wakeFD: Int32
    private let mailbox = Mutex<[Completion]>([])
    private let wakePending = Atomic<Bool>(false)
    private let stopRequested = Atomic<Bool>(false)

    private var connections: [Int32: Connection] = [:]
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    private var drainDeadline: Int64 = 0
    private var listening = true
    /// When a paused listener is watched again (monotonic ms), or 0 when it is not paused.
    private var acceptResumesAt: Int64 = 0
    private let sweepInterval: Int64
    private var nextSweep: Int64 = 0

    init(state: ServerState, listener: Int32) throws {
        self.state = state
        self.listener = listener
        epollFD = try Socket.call("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        wakeFD = try Socket.call("eventfd") { eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC)) }
        let config = state.configuration
        let shortest = [config.headerTimeout, config.bodyTimeout, config.idleTimeout, config.writeTimeout]
            .map(\.milliseconds).min() ?? 1_000
        sweepInterval = max(5, min(250, shortest / 10))
        try Socket.call("epoll_ctl(wake)") { parley_epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, EPOLLIN.rawValue) }
        try Socket.call("epoll_ctl(listen)") {
            parley_epoll_ctl(epollFD, EPOLL_CTL_ADD, listener, EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue)
        }
    }

    deinit {
        close(epollFD)
        close(wakeFD)
        scratch.deallocate()
    }

    // MARK: Cross-thread entry points

    /// Hands a finished response back to the loop (called from a worker).
    func post(_ completion: Completion) {
        mailbox.withLock { $0.append(completion) }
        wake()
    }

    /// Asks the loop to stop accepting and to close connections once their requests are answered.
    func requestStop() {
        stopRequested.store(true, ordering: .releasing)
        wake()
    }

    private func wake() {
        if !wakePending.exchange(true, ordering: .acquiringAndReleasing) {
            var one: UInt64 = 1
            _ = write(wakeFD, &one, 8)
        }
    }

    // MARK: The loop

    func run() {
        var fds = [Int32](repeating: 0, count: 256)
        var events = [UInt32](repeating: 0, count: 256)
        nextSweep = monotonicMilliseconds() + sweepInterval
        while true {
            let timeout = Int32(max(0, nextSweep - monotonicMilliseconds()))
            let ready = parley_epoll_wait(epollFD, &fds, &events, 256, timeout)
            if ready < 0 && errno != EINTR {
                state.logger.critical("epoll_wait failed", metadata: ["errno": "\(errno)"])
                break
            }
            for index in 0..<Int(max(ready, 0)) {
                let fd = fds[index]
                if fd == wakeFD {
                    drainMailbox()
                } else if fd == listener {
                    if listening { acceptConnections() }
                } else if let connection = connections[fd] {
                    handle(events[index], on: connection)
                }
            }
            let now = monotonicMilliseconds()
            if now >= nextSweep {
                sweep(now: now)
                resumeAcceptingIfDue(now: now)
                nextSweep = now + sweepInterval
            }
            if stopRequested.load(ordering: .acquiring) {
                if listening { beginDraining(now: now) }
                if connections.isEmpty { break }
                if now >= drainDeadline {
                    for connection in Array(connections.values) { closeConnection(connection) }
                    break
                }
            }
        }
    }

    private func drainMailbox() {
        var counter: UInt64 = 0
        _ = read(wakeFD, &counter, 8)
        wakePending.store(false, ordering: .releasing)
        let completions = mailbox.withLock { pending -> [Completion] in
            let taken = pending
            pending.removeAll(keepingCapacity: true)
            return taken
        }
        for completion in completions { complete(completion) }
    }

    private func beginDraining(now: Int64) {
        listening = false
        acceptResumesAt = 0
        _ = parley_epoll_ctl(epollFD, EPOLL_CTL_DEL, listener, 0)
        drainDeadline = now + state.configuration.shutdownGracePeriod.milliseconds
        for connection in Array(connections.values) {
            if connection.isIdle { closeConnection(connection) } else { connection.requestKeepAlive = false }
        }
    }

    // MARK: Accepting

    private func acceptConnections() {
        for _ in 0..<64 {
            guard let (fd, address) = Socket.accept(listener) else {
                if errno == EMFILE || errno == ENFILE { pauseAccepting() }
                return
            }
            let open = state.openConnections.wrappingAdd(1, ordering: .relaxed).newValue
            if open > state.configuration.maxConnections {
                refuseOverCapacity(fd, detail: "the server is at its connection limit")
                continue
            }
            guard state.admit(address) else {
                refuseOverCapacity(fd, detail: "too many connections from your address")
                continue
            }
            let connection = Connection(
                fd: fd, serial: state.makeSerial(), remoteAddress: address, limits: state.configuration.limits)
            connection.deadline = monotonicMilliseconds() + state.configuration.headerTimeout.milliseconds
            let interest = EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue
            guard parley_epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, interest) == 0 else {
                close(fd)
                state.openConnections.wrappingSubtract(1, ordering: .relaxed)
                state.release(address)
                continue
            }
            connections[fd] = connection
        }
    }

    /// Out of file descriptors: the listener would stay readable and spin the loop, so stop
    /// watching it for a moment (the sweep resumes it) while connections close.
    private func pauseAccepting() {
        guard acceptResumesAt == 0 else { return }
        _ = parley_epoll_ctl(epollFD, EPOLL_CTL_DEL, listener, 0)
        acceptResumesAt = monotonicMilliseconds() + 100
        state.logger.warning("out of file descriptors; pausing accept for 100 ms")
    }

    private func resumeAcceptingIfDue(now: Int64) {
        guard acceptResumesAt != 0, now >= acceptResumesAt, listening else { return }
        acceptResumesAt = 0
        _ = parley_epoll_ctl(epollFD, EPOLL_CTL_ADD, listener, EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue)
    }

    /// A clear refusal rather than a silent reset: 503 with `Connection: close`, then close.
    private func refuseOverCapacity(_ fd: Int32, detail: String) {
        var out: [UInt8] = []
        var response = ProblemBody.response(status: .serviceUnavailable, detail: detail, requestID: RequestID.make())
        response.headers.add("Retry-After", "1")
        let body = response.bodyBytes
        ResponseEncoder.encodeHead(
            response, bodyLength: body.count, keepAlive: false, date: state.currentDate(), version: .http1_1, into: &out)
        out.append(contentsOf: body)
        out.withUnsafeBytes { _ = Socket.send(fd, $0) }
        close(fd)
        state.openConnections.wrappingSubtract(1, ordering: .relaxed)
    }

    // MARK: Socket events

    private func handle(_ events: UInt32, on connection: Connection) {
        if events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 {
            if connection.phase == .processing { connection.closeAfterWrite = true } else { closeConnection(connection) }
            return
        }
        if events & EPOLLOUT.rawValue != 0 && connection.phase == .writing {
            flush(connection)
        }
        if events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0 {
            // The peer's FIN can arrive in the same edge as its last bytes: then read on to the end
            // instead of trusting a short read to mean "drained".
            if events & EPOLLRDHUP.rawValue != 0 { connection.peerClosed = true }
            switch connection.phase {
            case .reading: readAndProcess(connection)
            case .lingering: discardInput(connection)
            default: connection.readPending = true
            }
        }
    }

    private func readAndProcess(_ connection: Connection) {
        while connection.phase == .reading {
            let count = read(connection.fd, scratch.baseAddress, scratch.count)
            if count > 0 {
                connection.input.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
                process(connection)
                if count < scratch.count && !connection.peerClosed { return }
                if connection.phase != .reading {
                    connection.readPending = true
                    return
                }
            } else if count == 0 {
                // The peer is gone; a half-finished request can never be answered.
                closeConnection(connection)
                return
            } else {
                if errno == EINTR { continue }
                if errno != EAGAIN && errno != EWOULDBLOCK { closeConnection(connection) }
                return
            }
        }
    }

    /// Parses what is buffered; dispatches a complete request or answers a protocol error.
    private func process(_ connection: Connection) {
        while connection.phase == .reading {
            let event: HTTPRequestParser.Event
            do {
                event = try connection.input.withUnsafeBufferPointer { buffer throws(HTTPParseError) in
                    try connection.parser.parse(buffer, index: &connection.inputIndex)
                }
            } catch {
                state.logger.debug("rejected request", metadata: ["reason": "\(error.reason)", "status": "\(error.status.code)"])
                respondWithError(connection, status: error.status, detail: error.reason)
                return
            }
            switch event {
            case .needMore:
                connection.compactInput()
                armReadDeadline(connection)
                return
            case .head(let expectedBodyBytes):
                if !acceptHead(connection, expectedBodyBytes: expectedBodyBytes) { return }
            case .message:
                dispatch(connection)
            }
        }
    }

    private func armReadDeadline(_ connection: Connection) {
        let now = monotonicMilliseconds()
        let config = state.configuration
        switch connection.parser.state {
        case .requestLine where connection.parser.isIdle && !connection.hasBufferedInput:
            connection.deadlineIsForHead = false
        case .requestLine, .headerLines:
            if !connection.deadlineIsForHead {
                connection.deadline = now + config.headerTimeout.milliseconds
                connection.deadlineIsForHead = true
            }
        default:
            break  // the body deadline was set when the head completed
        }
    }

    /// Checks what can be checked before the body is read: size and expectations. Any well-formed
    /// method is routed: on a known path one the route lacks is 405 with `Allow`, like GET on a POST route.
    private func acceptHead(_ connection: Connection, expectedBodyBytes: Int?) -> Bool {
        guard let head = connection.parser.head else { return false }
        connection.deadlineIsForHead = false
        connection.deadline = monotonicMilliseconds() + state.configuration.bodyTimeout.milliseconds
        // Only a request with a body needs its route's limit (this spares GETs a second route match).
        if expectedBodyBytes != 0, let limit = state.responder.bodyLimit(for: head) { connection.parser.bodyLimit = limit }
        let limit = connection.parser.bodyLimit
        if let expected = expectedBodyBytes, expected > limit {
            respondWithError(connection, status: .contentTooLarge, detail: "request body exceeds \(limit) bytes")
            return false
        }
        if let expected = expectedBodyBytes, expected > 0 { connection.parser.reserveBody(expected) }
        if let expectation = head.headers["expect"] {
            guard expectation.asciiCaseInsensitiveEquals("100-continue") else {
                respondWithError(connection, status: .expectationFailed, detail: "only 100-continue is supported")
                return false
            }
            let bodyFollows = expectedBodyBytes.map { $0 > 0 } ?? true
            if head.version == .http1_1 && bodyFollows && !connection.hasBufferedInput {
                let interim = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
                interim.withUnsafeBytes { _ = Socket.send(connection.fd, $0) }
            }
        }
        return true
    }

    private func dispatch(_ connection: Connection) {
        guard let (head, body) = connection.parser.takeRequest() else { return }
        connection.compactInput()
        connection.phase = .processing
        connection.deadline = 0
        connection.deadlineIsForHead = false
        let keepAlive = head.wantsKeepAlive && connection.requestKeepAlive && listening
        let request = HTTPRequest(head: head, body: body, remoteAddress: connection.remoteAddress)
        let fd = connection.fd
        let serial = connection.serial
        let state = self.state
        state.handlers.submit { [self] in
            let response = state.responder.respond(to: request)
            let keepAlive = keepAlive && !state.draining.load(ordering: .relaxed)
            let finalizer = ResponseFinalizer(requestHead: head, keepAlive: keepAlive, date: state.currentDate())
            switch response.body {
            case .bytes:
                post(.encoded(fd: fd, serial: serial, bytes: finalizer.encode(response), keepAlive: keepAlive))
            case .stream(let produce):
                stream(response, produce: produce, head: head, finalizer: finalizer, fd: fd, serial: serial, keepAlive: keepAlive)
            }
        }
    }

    /// A streamed body is written on a thread of its own: it may wait on a slow reader for as long
    /// as the write timeout, and Dispatch's pool on Linux grows only slowly when its threads block,
    /// so streams must not occupy it. Beyond `maxConcurrentStreams` the answer is 503.
    private func stream(
        _ response: HTTPResponse, produce: @escaping @Sendable ((ArraySlice<UInt8>) throws -> Void) throws -> Void,
        head: HTTPRequestHead, finalizer: ResponseFinalizer, fd: Int32, serial: UInt64, keepAlive: Bool
    ) {
        func busy() -> HTTPResponse {
            var busy = ProblemBody.response(status: .serviceUnavailable, detail: "too many downloads at once; retry shortly",
                                            requestID: RequestID.make())
            busy.headers.add("Retry-After", "5")
            return busy
        }
        guard state.activeStreams.wrappingAdd(1, ordering: .relaxed).newValue <= state.configuration.maxConcurrentStreams else {
            state.activeStreams.wrappingSubtract(1, ordering: .relaxed)
            post(.encoded(fd: fd, serial: serial, bytes: finalizer.encode(busy()), keepAlive: keepAlive))
            return
        }
        let state = self.state
        let thread = LoopThread { [self] in
            // HTTP/1.0 has no chunked coding: the body ends when the connection does.
            let streamFinalizer = head.version == .http1_1
                ? finalizer : ResponseFinalizer(requestHead: head, keepAlive: false, date: finalizer.date)
            let succeeded = StreamWriter.write(
                response, produce: produce, finalizer: streamFinalizer, fd: fd,
                timeoutMilliseconds: state.configuration.writeTimeout.milliseconds)
            state.activeStreams.wrappingSubtract(1, ordering: .relaxed)
            post(.streamed(fd: fd, serial: serial, succeeded: succeeded, keepAlive: keepAlive && head.version == .http1_1))
        }
        do {
            try thread.start(name: "parley-stream")
        } catch {
            state.activeStreams.wrappingSubtract(1, ordering: .relaxed)
            post(.encoded(fd: fd, serial: serial, bytes: finalizer.encode(busy()), keepAlive: false))
        }
    }

    // MARK: Responses

    private func complete(_ completion: Completion) {
        switch completion {
        case .encoded(let fd, let serial, let bytes, let keepAlive):
            guard let connection = connections[fd], connection.serial == serial, connection.phase == .processing else {
                return
            }
            connection.output = bytes
            connection.outputIndex = 0
            connection.closeAfterWrite = connection.closeAfterWrite || !keepAlive || !listening
            connection.phase = .writing
            flush(connection)
        case .streamed(let fd, let serial, let succeeded, let keepAlive):
            guard let connection = connections[fd], connection.serial == serial, connection.phase == .processing else {
                return
            }
            connection.phase = .reading  // the worker has handed the socket back
            if !succeeded || !keepAlive || !listening || connection.closeAfterWrite {
                closeConnection(connection)
            } else {
                resumeReading(connection)
            }
        }
    }

    /// Answers a protocol error and closes, lingering briefly so the client reads the answer
    /// instead of a reset caused by its unread bytes.
    private func respondWithError(_ connection: Connection, status: HTTPStatus, detail: String) {
        let response = ProblemBody.response(status: status, detail: detail, requestID: RequestID.make())
        let body = response.bodyBytes
        var out: [UInt8] = []
        ResponseEncoder.encodeHead(
            response, bodyLength: body.count, keepAlive: false, date: state.currentDate(),
            version: connection.parser.head?.version ?? .http1_1, into: &out)
        if connection.parser.head?.method != "HEAD" { out.append(contentsOf: body) }
        connection.output = out
        connection.outputIndex = 0
        connection.closeAfterWrite = true
        connection.lingerAfterWrite = true
        connection.phase = .writing
        flush(connection)
    }

    private func flush(_ connection: Connection) {
        while connection.outputIndex < connection.output.count {
            let written = connection.output.withUnsafeBytes { bytes in
                Socket.send(connection.fd, UnsafeRawBufferPointer(rebasing: bytes[connection.outputIndex...]))
            }
            if written > 0 {
                connection.outputIndex += written
            } else if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                connection.deadline = monotonicMilliseconds() + state.configuration.writeTimeout.milliseconds
                return  // EPOLLOUT will call again
            } else {
                closeConnection(connection)
                return
            }
        }
        connection.output = []
        connection.outputIndex = 0
        if connection.closeAfterWrite {
            if connection.lingerAfterWrite { linger(connection) } else { closeConnection(connection) }
            return
        }
        connection.phase = .reading
        resumeReading(connection)
    }

    private func resumeReading(_ connection: Connection) {
        connection.deadline = monotonicMilliseconds() + state.configuration.idleTimeout.milliseconds
        connection.deadlineIsForHead = false
        process(connection)
        if connection.phase == .reading && connection.readPending {
            connection.readPending = false
            readAndProcess(connection)
        }
    }

    /// Half-closes and discards input for a moment, then closes (nginx's lingering close).
    private func linger(_ connection: Connection) {
        shutdown(connection.fd, Int32(SHUT_WR))
        connection.phase = .lingering
        connection.deadline = monotonicMilliseconds() + 1_000
        discardInput(connection)
    }

    private func discardInput(_ connection: Connection) {
        while true {
            let count = read(connection.fd, scratch.baseAddress, scratch.count)
            if count > 0 { continue }
            if count < 0 && errno == EINTR { continue }
            if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) { closeConnection(connection) }
            return
        }
    }

    // MARK: Timers and closing

    private func sweep(now: Int64) {
        for connection in Array(connections.values) where connection.deadline != 0 && now >= connection.deadline {
            switch connection.phase {
            case .reading:
                if connection.isIdle {
                    closeConnection(connection)
                } else {
                    respondWithError(connection, status: .requestTimeout, detail: "the request was not received in time")
                }
            case .writing, .lingering:
                closeConnection(connection)
            case .processing, .closed:
                break
            }
        }
    }

    private func closeConnection(_ connection: Connection) {
        guard connection.phase != .closed else { return }
        if connection.phase == .processing {
            connection.closeAfterWrite = true  // the worker still owns the socket; close when it answers
            return
        }
        connection.phase = .closed
        connections[connection.fd] = nil
        close(connection.fd)
        state.openConnections.wrappingSubtract(1, ordering: .relaxed)
        state.release(connection.remoteAddress)
    }
}
