@testable import ParleyHTTP
import Testing

/// The connection state machine without sockets: requests, pipelining, keep-alive, refusals,
/// half-close and shutdown. (Timeouts are in ConnectionTimeoutTests.)
@Suite struct ConnectionStateMachineTests {
    @Test func pipelinedRequestsAreDispatchedOneAtATimeAndAnsweredInOrder() {
        var h = MachineHarness()
        let pipelined = "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n"
            + "POST /3 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nthird"
        #expect(h.receive(pipelined) == .dispatch(target: "/1", body: "", keepAlive: true))
        // More bytes are ready, but nothing is read until the first answer is out.
        #expect(h.readable() == .wait)
        #expect(h.respond("one;") == .write)
        #expect(h.writeAll() == .dispatch(target: "/2", body: "", keepAlive: true))
        #expect(h.respond("two;") == .write)
        #expect(h.writeAll() == .lookUpBodyLimit(target: "/3"))
        #expect(h.bodyLimit(nil) == .dispatch(target: "/3", body: "third", keepAlive: true))
        #expect(h.respond("three") == .write)
        // The readiness held back during the first request is acted on now.
        #expect(h.writeAll() == .read)
        #expect(h.sentText == "one;two;three")
    }

    @Test func aRequestSplitAcrossReadsIsDispatchedOnceComplete() {
        var h = MachineHarness()
        #expect(h.receive("POST /echo HTTP/1.1\r\nHo") == .wait)
        #expect(h.receive("st: x\r\nContent-Le") == .wait)
        #expect(h.receive("ngth: 4\r\n\r\nbo") == .lookUpBodyLimit(target: "/echo"))
        #expect(h.bodyLimit(nil) == .wait)
        #expect(h.receive("dy") == .dispatch(target: "/echo", body: "body", keepAlive: true))
    }

    @Test func aFullReadIsFollowedByAnotherReadAndAShortOneWaitsForTheNextEdge() {
        var h = MachineHarness()
        #expect(h.receive("GET /a HTTP/1.1\r\n", drained: false) == .read)
        #expect(h.receive("Host: x\r\n") == .wait)
        #expect(h.readable() == .read)
        #expect(h.receive("\r\n") == .dispatch(target: "/a", body: "", keepAlive: true))
    }

    @Test func connectionCloseClosesAfterTheAnswerAndNothingAfterItIsRead() {
        var h = MachineHarness()
        let action = h.receive("GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(action == .dispatch(target: "/a", body: "", keepAlive: false))
        #expect(h.respond("bye", keepAlive: false) == .write)
        #expect(h.writeAll() == .close)
        #expect(h.sentText == "bye")
    }

    @Test func http10KeepsAliveOnlyWhenAsked() {
        var plain = MachineHarness()
        #expect(plain.receive("GET /a HTTP/1.0\r\n\r\n") == .dispatch(target: "/a", body: "", keepAlive: false))
        var asked = MachineHarness()
        #expect(asked.receive("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            == .dispatch(target: "/a", body: "", keepAlive: true))
        #expect(asked.respond("ok") == .write)
        #expect(asked.writeAll() == .wait)
        #expect(asked.machine.state == .reading)
    }

    @Test func oversizeHeadersAre431AndALongRequestLineIs414ThenTheConnectionLingers() {
        var limits = HTTPLimits()
        limits.maxHeaderBytes = 64
        limits.maxRequestLineBytes = 32
        var big = MachineHarness(limits: limits)
        #expect(big.receive("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "b", count: 80) + "\r\n\r\n")
            == .respondWithError(status: 431))
        #expect(big.encodeError() == .write)
        #expect(big.writeAll() == .linger)
        #expect(big.sentText.hasPrefix("HTTP/1.1 431 "))
        #expect(big.sentText.contains("application/problem+json"))
        // Refused before the line ends: a header that never ends cannot fill memory.
        var endless = MachineHarness(limits: limits)
        #expect(endless.receive("GET / HTTP/1.1\r\nX-Big: " + String(repeating: "b", count: 80)) == .respondWithError(status: 431))
        var long = MachineHarness(limits: limits)
        #expect(long.receive("GET /" + String(repeating: "a", count: 40) + " HTTP/1.1\r\n") == .respondWithError(status: 414))
    }

    @Test func badFramingIs400ThenALingeringCloseAndTheSmuggledRequestIsNeverDispatched() {
        var h = MachineHarness()
        let smuggling = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
        #expect(h.receive(smuggling) == .respondWithError(status: 400))
        #expect(h.encodeError() == .write)
        #expect(h.writeAll() == .linger)
        #expect(h.sentText.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(h.sentText.contains("\"status\":400"))
        #expect(h.readable() == .discardInput)
        #expect(h.endOfInput() == .close)
    }

    @Test func aRefusedHeadRequestGetsTheHeadOfTheAnswerOnly() {
        var limits = HTTPLimits()
        limits.maxBodyBytes = 1024
        var h = MachineHarness(limits: limits)
        _ = h.receive("HEAD / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n")
        #expect(h.bodyLimit(nil) == .respondWithError(status: 413))
        _ = h.encodeError()
        _ = h.writeAll()
        #expect(h.sentText.contains("\r\nContent-Length: "))
        #expect(h.sentText.hasSuffix("\r\n\r\n"))
    }

    /// Refused once its method is read (in the rest of the request line or the header section),
    /// a HEAD request gets the head of the refusal only; a GET gets the problem document too.
    @Test(arguments: [
        ("HEAD /health HTTP/1.1\r\nHost: x\r\nX(y): 1\r\n\r\n", false),
        ("HEAD /a%zz HTTP/1.1\r\nHost: x\r\n\r\n", false),
        ("GET /health HTTP/1.1\r\nHost: x\r\nX(y): 1\r\n\r\n", true),
    ])
    func aRefusalCarriesContentOnlyForAMethodThatGetsIt(_ request: String, content: Bool) {
        var h = MachineHarness()
        _ = h.receive(request)
        _ = h.encodeError()
        _ = h.writeAll()
        #expect(h.sentText.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(h.sentText.hasSuffix("}") == content)
        #expect(h.sentText.hasSuffix("\r\n\r\n") == !content)
    }

    @Test func aBodyOverTheRoutesLimitIs413BeforeItIsRead() {
        var limits = HTTPLimits()
        limits.maxBodyBytes = 1024
        var h = MachineHarness(limits: limits)
        #expect(h.receive("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n") == .lookUpBodyLimit(target: "/echo"))
        #expect(h.bodyLimit(nil) == .respondWithError(status: 413))
        // A route may allow more than the default.
        var upload = MachineHarness(limits: limits)
        #expect(upload.receive("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n") == .lookUpBodyLimit(target: "/upload"))
        #expect(upload.bodyLimit(64 * 1024) == .wait)
        #expect(upload.receive(String(repeating: "u", count: 5000)) == .dispatch(
            target: "/upload", body: String(repeating: "u", count: 5000), keepAlive: true))
    }

    @Test func expectContinueIsSentOnlyWhileTheClientWaitsForIt() {
        var h = MachineHarness()
        #expect(h.receive("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
            == .lookUpBodyLimit(target: "/echo"))
        #expect(h.bodyLimit(nil) == .sendContinue)
        #expect(h.continueSent() == .wait)
        #expect(h.receive("body") == .dispatch(target: "/echo", body: "body", keepAlive: true))

        var eager = MachineHarness()
        _ = eager.receive("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\nbody")
        #expect(eager.bodyLimit(nil) == .dispatch(target: "/echo", body: "body", keepAlive: true))

        var tooBig = MachineHarness()
        _ = tooBig.receive("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\nExpect: 100-continue\r\n\r\n")
        #expect(tooBig.bodyLimit(nil) == .respondWithError(status: 413))

        var teapot = MachineHarness()
        _ = teapot.receive("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nExpect: teapot\r\n\r\nx")
        #expect(teapot.bodyLimit(nil) == .respondWithError(status: 417))
    }

    @Test func theEndOfInputMidRequestClosesWithoutAnAnswer() {
        var h = MachineHarness()
        #expect(h.receive("GET / HTTP/1.1\r\nHost") == .wait)
        #expect(h.endOfInput() == .close)
        #expect(h.sent.isEmpty)
    }

    @Test func aHalfClosedClientGetsItsAnswerThenTheConnectionCloses() {
        var h = MachineHarness()
        #expect(h.readable(peerHalfClosed: true) == .read)
        #expect(h.receive("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok") == .lookUpBodyLimit(target: "/echo"))
        #expect(h.bodyLimit(nil) == .dispatch(target: "/echo", body: "ok", keepAlive: true))
        #expect(h.respond("ok") == .write)
        // A short read proves nothing once the FIN was seen: read on to the end of the stream.
        #expect(h.writeAll() == .read)
        #expect(h.endOfInput() == .close)
    }

    @Test func anAbandonedBodyIsDroppedAtTheClientsFINNotAfterTheBodyTimeout() {
        var h = MachineHarness()
        #expect(h.readable(peerHalfClosed: true) == .read)
        _ = h.receive("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly a little")
        #expect(h.bodyLimit(nil) == .read)
        #expect(h.endOfInput() == .close)
    }

    @Test func aSocketErrorWhileAHandlerAnswersClosesOnceItHasAnswered() {
        var h = MachineHarness()
        _ = h.receive("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(h.socketFailed() == .wait)  // the handler still owns the request
        #expect(h.respond("late") == .write)
        #expect(h.writeAll() == .close)
    }

    @Test func aStreamedAnswerHandsTheConnectionBackOrClosesIt() {
        var kept = MachineHarness()
        _ = kept.receive("GET /export HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(kept.streamFinished() == .wait)
        #expect(kept.timer == RunningTimer(.idle, .seconds(60)))
        var failed = MachineHarness()
        _ = failed.receive("GET /export HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(failed.streamFinished(succeeded: false) == .close)
        var http10 = MachineHarness()
        _ = http10.receive("GET /export HTTP/1.0\r\n\r\n")
        #expect(http10.streamFinished(keepAlive: false) == .close)
    }

    @Test func shutdownClosesIdleConnectionsAndDrainsTheRequestInFlight() {
        var idle = MachineHarness()
        #expect(idle.shutdownBegan() == .close)

        var busy = MachineHarness()
        #expect(busy.receive("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n")
            == .dispatch(target: "/slow", body: "", keepAlive: true))
        #expect(busy.shutdownBegan() == .wait)
        // The handler answered keep-alive before it learnt of the shutdown; the connection closes
        // anyway, and the pipelined request behind it is not started.
        #expect(busy.respond("slow done") == .write)
        #expect(busy.writeAll() == .close)
        #expect(busy.sentText == "slow done")

        var halfway = MachineHarness()
        #expect(halfway.receive("GET /late HTTP/1.1\r\nHo") == .wait)
        #expect(halfway.shutdownBegan() == .wait)
        #expect(halfway.receive("st: x\r\n\r\n") == .dispatch(target: "/late", body: "", keepAlive: false))
    }

    @Test func anAnswerBeingWrittenWhenShutdownBeginsClosesTheConnectionOnceItIsOut() {
        var h = MachineHarness()
        _ = h.receive("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(h.respond("a long answer") == .write)
        #expect(h.write(2) == .write)
        #expect(h.writeWouldBlock() == .wait)
        #expect(h.shutdownBegan() == .wait)
        #expect(h.machine.writable(now: h.clock.now).step == .write)
        #expect(h.writeAll() == .close)
        #expect(h.sentText == "a long answer")
    }

    @Test func theEndOfTheGracePeriodClosesAllButConnectionsWhoseHandlerIsStillAnswering() {
        var reading = MachineHarness()
        _ = reading.receive("GET /late HTTP/1.1\r\nHo")
        _ = reading.shutdownBegan()
        #expect(reading.gracePeriodEnded() == .close)

        var answering = MachineHarness()
        _ = answering.receive("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = answering.shutdownBegan()
        #expect(answering.gracePeriodEnded() == .wait)
        #expect(answering.respond("done") == .write)
        #expect(answering.writeAll() == .close)
    }

    @Test func eventsForAnotherStateAreIgnored() {
        var h = MachineHarness()
        #expect(h.respond("unasked") == .wait)
        #expect(h.bodyLimit(10) == .wait)
        #expect(h.writeAll() == .wait)
        #expect(h.sent.isEmpty)
        _ = h.shutdownBegan()
        #expect(h.readable() == .wait)
        #expect(h.endOfInput() == .wait)
    }
}
