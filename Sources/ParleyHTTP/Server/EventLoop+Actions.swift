import CParleySystem
import Glibc

/// Performing what connections' state machines decide: the only place the loop reads, writes,
/// half-closes or closes a client socket.
extension EventLoop {
    private static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Turns one epoll readiness report into the machine's events.
    func handle(_ events: UInt32, on connection: Connection) {
        if events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 {
            perform(connection.machine.socketFailed(), on: connection)
            return
        }
        if events & EPOLLOUT.rawValue != 0 {
            perform(connection.machine.writable(now: now), on: connection)
        }
        if events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0 {
            // The peer's FIN can arrive in the same edge as its last bytes: then the machine reads
            // on to the end instead of trusting a short read to mean "drained".
            let halfClosed = events & EPOLLRDHUP.rawValue != 0
            perform(connection.machine.readable(peerHalfClosed: halfClosed), on: connection)
        }
    }

    /// How many pipelined requests one readiness event may have answered on the loop itself.
    static let answersOnLoopPerWakeup = 16

    /// Performs `action` and each action that follows from it, until the connection waits.
    func perform(_ action: ConnectionAction, on connection: Connection) {
        var action = action
        // Requests this call answered on the loop: past the budget, a client pipelining them goes
        // to a handler like any other, so one connection cannot keep the loop from the rest.
        var answeredHere = 0
        while true {
            switch action {
            case .wait:
                return
            case .read:
                action = readOnce(connection)
            case .lookUpBodyLimit(let head):
                action = connection.machine.bodyLimitFound(state.responder.bodyLimit(for: head), now: now)
            case .sendContinue:
                Self.continueResponse.withUnsafeBytes { _ = Socket.send(connection.fd, $0) }
                action = connection.machine.continueSent(now: now)
            case .dispatch(let head, let body, let keepAlive):
                let request = HTTPRequest(head: head, body: body, remoteAddress: connection.remoteAddress)
                guard answeredHere < Self.answersOnLoopPerWakeup, state.responder.answersOnLoop(head) else {
                    dispatch(request, keepAlive: keepAlive, to: connection)
                    return
                }
                answeredHere += 1
                action = answerOnLoop(request, keepAlive: keepAlive, to: connection)
            case .respondWithError(let error):
                state.logger.debug("rejected request", metadata: ["reason": "\(error.detail)", "status": "\(error.status.code)"])
                let requestID = RequestID.make()
                let encoded = error.encode(date: state.currentDate(), requestID: requestID)
                state.refusals.record(error, requestID: requestID, responseBytes: encoded.count)
                action = connection.machine.errorResponseEncoded(encoded, now: now)
            case .write:
                action = writeOnce(connection)
            case .linger:
                shutdown(connection.fd, Int32(SHUT_WR))
                action = discardInput(connection)
            case .discardInput:
                action = discardInput(connection)
            case .close:
                forget(connection)
                return
            }
        }
    }

    private func readOnce(_ connection: Connection) -> ConnectionAction {
        while true {
            let count = read(connection.fd, scratch.baseAddress, scratch.count)
            if count > 0 {
                let bytes = UnsafeRawBufferPointer(rebasing: scratch[0..<count])
                return connection.machine.received(bytes, drained: count < scratch.count, now: now)
            }
            if count == 0 { return connection.machine.endOfInput() }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { return .wait }
            return connection.machine.socketFailed()
        }
    }

    private func writeOnce(_ connection: Connection) -> ConnectionAction {
        let written = connection.machine.withUnsentOutput { Socket.send(connection.fd, $0) }
        if written > 0 { return connection.machine.wrote(written, now: now) }
        if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return connection.machine.writeWouldBlock(now: now) }
        return connection.machine.socketFailed()
    }

    /// Reads and drops input until the socket is empty for now or the stream ends.
    private func discardInput(_ connection: Connection) -> ConnectionAction {
        while true {
            let count = read(connection.fd, scratch.baseAddress, scratch.count)
            if count > 0 { continue }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return .wait }
            return connection.machine.endOfInput()
        }
    }
}
