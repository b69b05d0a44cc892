/// Running handlers off the loop and taking their answers back.
extension EventLoop {
    /// Answers `request` on a handler thread; the answer comes back through the mailbox (see `complete`).
    func dispatch(_ request: HTTPRequest, keepAlive: Bool, to connection: Connection) {
        let fd = connection.fd
        let serial = connection.serial
        let state = self.state
        state.handlers.submit { [self] in
            let response = state.responder.respond(to: request)
            let keepAlive = keepAlive && !state.draining.load(ordering: .relaxed)
            let head = request.head
            let finalizer = ResponseFinalizer(requestHead: head, keepAlive: keepAlive, date: state.currentDate())
            switch response.body {
            case .bytes:
                post(.encoded(fd: fd, serial: serial, bytes: finalizer.encode(response), keepAlive: keepAlive))
            case .stream(let produce):
                stream(response, produce: produce, head: head, finalizer: finalizer, fd: fd, serial: serial, keepAlive: keepAlive)
            }
        }
    }

    /// Answers `request` here on the loop (the responder said it never waits): no hand-off to a
    /// handler thread and back, which for a health check costs more than the answer itself.
    func answerOnLoop(_ request: HTTPRequest, keepAlive: Bool, to connection: Connection) -> ConnectionAction {
        let response = state.responder.respond(to: request)
        let keepAlive = keepAlive && !state.draining.load(ordering: .relaxed)
        let finalizer = ResponseFinalizer(requestHead: request.head, keepAlive: keepAlive, date: state.currentDate())
        switch response.body {
        case .bytes:
            return connection.machine.responseReady(finalizer.encode(response), keepAlive: keepAlive, now: now)
        case .stream(let produce):
            stream(response, produce: produce, head: request.head, finalizer: finalizer, fd: connection.fd,
                   serial: connection.serial, keepAlive: keepAlive)
            return .wait
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
        // The thread inherits the policy and nice value of the request thread starting it (lowering
        // it again here would put it twice the niceness below the process).
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

    /// A handler's answer, back on the loop; one for a connection since closed is dropped.
    func complete(_ completion: Completion) {
        switch completion {
        case .encoded(let fd, let serial, let bytes, let keepAlive):
            guard let connection = connections[fd], connection.serial == serial else { return }
            perform(connection.machine.responseReady(bytes, keepAlive: keepAlive, now: now), on: connection)
        case .streamed(let fd, let serial, let succeeded, let keepAlive):
            guard let connection = connections[fd], connection.serial == serial else { return }
            perform(connection.machine.streamFinished(succeeded: succeeded, keepAlive: keepAlive, now: now), on: connection)
        }
    }
}
