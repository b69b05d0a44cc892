/// One client connection's HTTP/1.1 logic as a value: told what happened (bytes read, end of
/// input, a write finished, a handler's answer, a timer due, shutdown) and when, it answers with
/// the next `ConnectionAction`. It never touches a socket or reads a clock, so every rule here
/// (framing refusals, limits, pipelining, keep-alive, the four timeouts, lingering close,
/// draining) is unit-tested with a fake clock.
///
/// The event loop keeps one per connection, mutated in place, and only performs its actions.
/// States, events and actions are described in Docs/http-server.md.
struct ConnectionStateMachine {
    enum State: Equatable {
        /// Waiting for, or reading, a request.
        case reading
        /// The head is in and declares a body; the route's body limit is being looked up.
        case awaitingBodyLimit(expectedBodyBytes: Int?)
        /// `100 Continue` is being sent.
        case sendingContinue
        /// A request was refused; its error answer is being encoded.
        case encodingError
        /// A handler is answering. Reads are held back so pipelined answers stay in order, and a
        /// streamed answer writes to the socket itself meanwhile.
        case processing
        /// A response is draining to the socket.
        case writing
        /// An error answer was sent and the write side shut; input is discarded until close.
        case lingering
        case closed
    }

    /// The one timer a connection has; which one it is decides nothing but whether the header
    /// timer is already running (it runs from a request's first byte, not from its latest).
    struct Timer: Equatable {
        enum Kind: Equatable {
            /// Waiting for a request's first byte: expiry is a quiet close.
            case idle
            /// A request's head is incomplete: expiry is 408.
            case header
            /// A request's body is incomplete: expiry is 408.
            case body
            /// A response has stopped draining: expiry closes.
            case write
            /// The lingering close after an error answer: expiry closes.
            case linger
        }

        let kind: Kind
        let deadline: MonotonicInstant
    }

    private(set) var state = State.reading
    private(set) var timer: Timer?
    /// When the connection last went idle after an answer (nil before its first request and while
    /// a request is under way): the longest idle gives way first at the connection cap.
    private(set) var idleSince: MonotonicInstant?
    private let timeouts: ConnectionTimeouts
    private var parser: HTTPRequestParser
    private var input: [UInt8] = []
    private var inputIndex = 0
    private var output: [UInt8] = []
    private var outputIndex = 0
    /// Close once the pending output is written.
    private var closeAfterWrite = false
    /// After an error answer, linger instead of closing at once.
    private var lingerAfterWrite = false
    /// The server is shutting down: the next answer closes the connection.
    private var draining = false
    /// The socket may hold bytes not read yet (edge-triggered epoll reports readiness once).
    private var socketMayHaveInput = false
    /// The peer shut its write side: read on to the end of the stream, a short read proves nothing.
    private var peerHalfClosed = false

    /// A connection just accepted; it has the header timeout to send its first byte.
    init(limits: HTTPLimits, timeouts: ConnectionTimeouts, now: MonotonicInstant) {
        self.parser = HTTPRequestParser(limits: limits)
        self.timeouts = timeouts
        self.timer = Timer(kind: .idle, deadline: now + timeouts.header)
    }

    /// When `timerFired` is next due, or nil when no timer runs (a handler is answering).
    var deadline: MonotonicInstant? { timer?.deadline }

    /// Whether no request is under way: closed at once on shutdown, quietly on its timer.
    var isIdle: Bool { state == .reading && !hasBufferedInput && parser.isIdle }

    /// How many bytes of the current response are still to be sent.
    var unsentOutputCount: Int { output.count - outputIndex }

    /// Lends the bytes still to be sent (for `write`).
    func withUnsentOutput<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try output.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[outputIndex...])) }
    }

    private var hasBufferedInput: Bool { inputIndex < input.count }

    // MARK: Socket events

    /// The socket became readable; `peerHalfClosed` when it also reported the peer's FIN.
    mutating func readable(peerHalfClosed halfClosed: Bool) -> ConnectionAction {
        if halfClosed { peerHalfClosed = true }
        switch state {
        case .reading:
            return .read
        case .lingering:
            return .discardInput
        case .closed:
            return .wait
        default:
            socketMayHaveInput = true  // read once the current request is answered
            return .wait
        }
    }

    /// The socket can take more output.
    mutating func writable(now: MonotonicInstant) -> ConnectionAction {
        state == .writing ? continueWriting(now: now) : .wait
    }

    /// `bytes` were read; `drained` when the read returned less than it asked for (the socket is
    /// empty for now).
    mutating func received(_ bytes: UnsafeRawBufferPointer, drained: Bool, now: MonotonicInstant) -> ConnectionAction {
        guard state == .reading else { return .wait }
        input.append(contentsOf: bytes)
        socketMayHaveInput = !drained || peerHalfClosed
        return parseBuffered(now: now)
    }

    /// The peer's stream ended: a half-finished request can never be answered.
    mutating func endOfInput() -> ConnectionAction { closeUnlessAnswering() }

    /// A read or write failed, or the socket reported an error or hang-up.
    mutating func socketFailed() -> ConnectionAction { closeUnlessAnswering() }

    /// `count` bytes of the unsent output were sent.
    mutating func wrote(_ count: Int, now: MonotonicInstant) -> ConnectionAction {
        guard state == .writing else { return .wait }
        outputIndex += count
        return continueWriting(now: now)
    }

    /// The socket's buffer is full: wait for writability, for at most the write timeout.
    mutating func writeWouldBlock(now: MonotonicInstant) -> ConnectionAction {
        guard state == .writing else { return .wait }
        timer = Timer(kind: .write, deadline: now + timeouts.write)
        return .wait
    }

    // MARK: Answers to the machine's own requests

    /// The route's body limit for the head just read (nil for the server's default).
    mutating func bodyLimitFound(_ limit: Int?, now: MonotonicInstant) -> ConnectionAction {
        guard case .awaitingBodyLimit(let expectedBodyBytes) = state else { return .wait }
        state = .reading
        if let limit { parser.bodyLimit = limit }
        if let action = checkHead(expectedBodyBytes: expectedBodyBytes) { return action }
        return parseBuffered(now: now)
    }

    mutating func continueSent(now: MonotonicInstant) -> ConnectionAction {
        guard state == .sendingContinue else { return .wait }
        state = .reading
        return parseBuffered(now: now)
    }

    /// The refusal asked for by `respondWithError`, encoded.
    mutating func errorResponseEncoded(_ bytes: [UInt8], now: MonotonicInstant) -> ConnectionAction {
        guard state == .encodingError else { return .wait }
        closeAfterWrite = true
        lingerAfterWrite = true
        return startWriting(bytes, now: now)
    }

    // MARK: Handler answers

    /// The handler's answer, encoded; `keepAlive` is what its `Connection` field promised.
    mutating func responseReady(_ bytes: [UInt8], keepAlive: Bool, now: MonotonicInstant) -> ConnectionAction {
        guard state == .processing else { return .wait }
        if !keepAlive || draining { closeAfterWrite = true }
        return startWriting(bytes, now: now)
    }

    /// A streamed answer was written by its own thread, which now hands the socket back.
    mutating func streamFinished(succeeded: Bool, keepAlive: Bool, now: MonotonicInstant) -> ConnectionAction {
        guard state == .processing else { return .wait }
        if !succeeded || !keepAlive || draining || closeAfterWrite { return close() }
        return resumeReading(now: now)
    }

    // MARK: Time and shutdown

    /// The loop's sweep found `deadline` passed; before the deadline this does nothing.
    mutating func timerFired(now: MonotonicInstant) -> ConnectionAction {
        guard let timer, now >= timer.deadline else { return .wait }
        switch state {
        case .reading:
            return isIdle ? close() : refuse(.requestTimeout, "the request was not received in time")
        case .writing, .lingering:
            return close()
        default:
            return .wait
        }
    }

    /// The server stopped accepting: an idle connection closes now, a busy one after its answer.
    mutating func shutdownBegan() -> ConnectionAction {
        draining = true
        return isIdle ? close() : .wait
    }

    /// The shutdown grace period is over: close, unless a handler still owns the socket.
    mutating func gracePeriodEnded() -> ConnectionAction { closeUnlessAnswering() }

    // MARK: Requests

    /// Parses what is buffered: dispatches a complete request, refuses a bad one or asks for more.
    private mutating func parseBuffered(now: MonotonicInstant) -> ConnectionAction {
        while true {
            let event: HTTPRequestParser.Event
            do {
                event = try Self.parse(&parser, input, &inputIndex)
            } catch {
                return refuse(error.status, error.reason)
            }
            switch event {
            case .needMore:
                compactInput()
                armReadTimer(now: now)
                guard socketMayHaveInput else { return .wait }
                socketMayHaveInput = false
                return .read
            case .head(let expectedBodyBytes):
                timer = Timer(kind: .body, deadline: now + timeouts.body)
                // Only a request with a body needs its route's limit (this spares GETs a second route match).
                if expectedBodyBytes != 0, let head = parser.head {
                    state = .awaitingBodyLimit(expectedBodyBytes: expectedBodyBytes)
                    return .lookUpBodyLimit(head)
                }
                if let action = checkHead(expectedBodyBytes: expectedBodyBytes) { return action }
            case .message:
                return dispatch()
            }
        }
    }

    /// A static helper, so the parser, the buffer and the index are three separate accesses.
    private static func parse(
        _ parser: inout HTTPRequestParser, _ input: [UInt8], _ index: inout Int
    ) throws(HTTPParseError) -> HTTPRequestParser.Event {
        try input.withUnsafeBufferPointer { buffer throws(HTTPParseError) in try parser.parse(buffer, index: &index) }
    }

    /// Checks what can be checked before the body is read: its size and the expectation. Any
    /// well-formed method goes on to the router, which answers 405 for one a path does not serve.
    private mutating func checkHead(expectedBodyBytes: Int?) -> ConnectionAction? {
        guard let head = parser.head else { return nil }
        let limit = parser.bodyLimit
        if let expected = expectedBodyBytes {
            if expected > limit { return refuse(.contentTooLarge, "request body exceeds \(limit) bytes") }
            if expected > 0 { parser.reserveBody(expected) }
        }
        if let expectation = head.headers["expect"] {
            guard expectation.asciiCaseInsensitiveEquals("100-continue") else {
                return refuse(.expectationFailed, "only 100-continue is supported")
            }
            // Only when the client is still waiting for it: not if the body is already arriving.
            let bodyFollows = expectedBodyBytes.map { $0 > 0 } ?? true
            if head.version == .http1_1 && bodyFollows && !hasBufferedInput {
                state = .sendingContinue
                return .sendContinue
            }
        }
        return nil
    }

    /// The header timer runs from a request's first byte; between requests the idle timer runs on.
    private mutating func armReadTimer(now: MonotonicInstant) {
        switch parser.state {
        case .requestLine where parser.isIdle && !hasBufferedInput:
            break
        case .requestLine, .headerLines:
            if timer?.kind != .header { timer = Timer(kind: .header, deadline: now + timeouts.header) }
        default:
            break  // the body timer was armed when the head completed
        }
    }

    private mutating func dispatch() -> ConnectionAction {
        guard let (head, body) = parser.takeRequest() else { return .wait }
        compactInput()
        state = .processing
        timer = nil
        idleSince = nil
        return .dispatch(head, body: body, keepAlive: head.wantsKeepAlive && !draining)
    }

    /// Refuses the request being read; the answer closes the connection, since the framing of
    /// whatever follows can no longer be trusted (RFC 9112 §11.2).
    private mutating func refuse(_ status: HTTPStatus, _ detail: String) -> ConnectionAction {
        state = .encodingError
        let requestLine = parser.requestLineRead
        return .respondWithError(ErrorResponse(
            status: status, detail: detail, version: requestLine?.version ?? .http1_1, method: requestLine?.method))
    }

    /// After an answer: the next request may already be buffered (pipelining) or still to come.
    private mutating func resumeReading(now: MonotonicInstant) -> ConnectionAction {
        state = .reading
        timer = Timer(kind: .idle, deadline: now + timeouts.idle)
        idleSince = now
        return parseBuffered(now: now)
    }

    /// Drops consumed input so the buffer does not grow with a long keep-alive connection.
    private mutating func compactInput() {
        if inputIndex == input.count {
            input.removeAll(keepingCapacity: input.capacity <= 64 * 1024)
            inputIndex = 0
        } else if inputIndex > 32 * 1024 {
            input.removeFirst(inputIndex)
            inputIndex = 0
        }
    }

    // MARK: Writing and closing

    private mutating func startWriting(_ bytes: [UInt8], now: MonotonicInstant) -> ConnectionAction {
        output = bytes
        outputIndex = 0
        state = .writing
        timer = nil  // the write timer starts when the socket first pushes back
        return continueWriting(now: now)
    }

    private mutating func continueWriting(now: MonotonicInstant) -> ConnectionAction {
        if outputIndex < output.count { return .write }
        output = []
        outputIndex = 0
        // Once shutdown has begun, an answer already under way when it began ends the connection
        // too, rather than leaving it idle until the grace period runs out.
        guard closeAfterWrite || draining else { return resumeReading(now: now) }
        guard lingerAfterWrite else { return close() }
        // The client reads the answer rather than a reset caused by its unread bytes.
        state = .lingering
        timer = Timer(kind: .linger, deadline: now + timeouts.linger)
        return .linger
    }

    private mutating func closeUnlessAnswering() -> ConnectionAction {
        switch state {
        case .closed:
            return .wait
        case .processing:
            closeAfterWrite = true  // the handler (or its stream) still owns the socket
            return .wait
        default:
            return close()
        }
    }

    private mutating func close() -> ConnectionAction {
        state = .closed
        timer = nil
        socketMayHaveInput = false
        return .close
    }
}
