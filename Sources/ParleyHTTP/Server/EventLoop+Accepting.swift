import CParleySystem
import Glibc

extension EventLoop {
    func acceptConnections() {
        for _ in 0..<64 {
            guard let (fd, address) = Socket.accept(listener) else {
                if errno == EMFILE || errno == ENFILE { pauseAccepting() }
                return
            }
            let open = state.openConnections.wrappingAdd(1, ordering: .relaxed).newValue
            guard state.admit(address) else {
                refuseOverCapacity(fd, detail: "too many connections from your address")
                continue
            }
            // At the cap, a keep-alive connection idle the longest gives way to a new client: idle
            // sockets must not lock everyone else out. Only an admitted client makes room.
            if open > state.configuration.maxConnections && !shedLongestIdleConnection() {
                state.release(address)
                refuseOverCapacity(fd, detail: "the server is at its connection limit")
                continue
            }
            let machine = ConnectionStateMachine(limits: state.configuration.limits, timeouts: timeouts, now: now)
            let connection = Connection(fd: fd, serial: state.makeSerial(), remoteAddress: address, machine: machine)
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

    /// Closes this loop's keep-alive connection that has been idle the longest (answered, waiting
    /// for a next request, nothing buffered; the older connection on a tie); false when there is none.
    /// A connection that has not sent a request yet is left to its header timeout.
    private func shedLongestIdleConnection() -> Bool {
        var oldest: (connection: Connection, since: MonotonicInstant)?
        for connection in connections.values where connection.machine.isIdle {
            guard let since = connection.machine.idleSince else { continue }
            if let current = oldest, (current.since, current.connection.serial) <= (since, connection.serial) { continue }
            oldest = (connection, since)
        }
        guard let oldest else { return false }
        state.logger.debug("closing the longest-idle connection to make room for a new one")
        forget(oldest.connection)
        return true
    }

    /// Out of file descriptors: the listener would stay readable and spin the loop, so stop
    /// watching it for a moment (the sweep resumes it) while connections close.
    private func pauseAccepting() {
        guard acceptResumesAt == nil else { return }
        _ = parley_epoll_ctl(epollFD, EPOLL_CTL_DEL, listener, 0)
        acceptResumesAt = now + 100
        state.logger.warning("out of file descriptors; pausing accept for 100 ms")
    }

    func resumeAcceptingIfDue() {
        guard let resumesAt = acceptResumesAt, now >= resumesAt, listening else { return }
        guard parley_epoll_ctl(epollFD, EPOLL_CTL_ADD, listener, EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue) == 0 else {
            // Try again at the next sweep rather than stop accepting for good.
            state.logger.warning("cannot watch the listening socket again", metadata: ["errno": "\(errno)"])
            acceptResumesAt = now + 100
            return
        }
        acceptResumesAt = nil
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
}
