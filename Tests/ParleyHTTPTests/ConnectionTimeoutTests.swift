@testable import ParleyHTTP
import Testing

/// Each connection timeout, fired one millisecond early (nothing happens) and exactly at its
/// deadline (it acts), on a fake clock: header 10 s, body 30 s, idle 60 s, write 30 s, linger 1 s.
@Suite struct ConnectionTimeoutTests {
    @Test func aNewConnectionThatSendsNothingIsClosedQuietlyAtTheHeaderTimeout() {
        var h = MachineHarness()
        #expect(h.timer == RunningTimer(.idle, .seconds(10)))
        #expect(h.fireTimer(atDeadlineIn: .seconds(10)) == .close)
        #expect(h.sent.isEmpty)
        #expect(h.machine.state == .closed)
    }

    @Test func slowlorisGets408AtTheHeaderTimeoutCountedFromTheFirstByte() {
        var h = MachineHarness()
        h.clock.advance(by: .seconds(3))
        #expect(h.receive("GET / HTTP/1.1\r\nHo") == .wait)
        #expect(h.timer == RunningTimer(.header, .seconds(10)))
        // Trickling more bytes does not buy more time.
        h.clock.advance(by: .seconds(5))
        #expect(h.receive("st: x\r\nX-A: 1\r\n") == .wait)
        #expect(h.timer == RunningTimer(.header, .seconds(5)))
        #expect(h.fireTimer(atDeadlineIn: .seconds(5)) == .respondWithError(status: 408))
        #expect(h.encodeError() == .write)
        #expect(h.writeAll() == .linger)
        #expect(h.sentText.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
        #expect(h.sentText.contains("\r\nConnection: close\r\n"))
    }

    @Test func anIncompleteBodyGets408AtTheBodyTimeoutCountedFromTheEndOfTheHead() {
        var h = MachineHarness()
        #expect(h.receive("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc") == .lookUpBodyLimit(target: "/echo"))
        #expect(h.bodyLimit(nil) == .wait)
        #expect(h.timer == RunningTimer(.body, .seconds(30)))
        h.clock.advance(by: .seconds(20))
        #expect(h.receive("def") == .wait)
        #expect(h.timer == RunningTimer(.body, .seconds(10)))
        #expect(h.fireTimer(atDeadlineIn: .seconds(10)) == .respondWithError(status: 408))
    }

    @Test func anIdleKeepAliveConnectionClosesAtTheIdleTimeoutCountedFromItsLastAnswer() {
        var h = MachineHarness()
        #expect(h.receive("GET /a HTTP/1.1\r\nHost: x\r\n\r\n") == .dispatch(target: "/a", body: "", keepAlive: true))
        // No timer runs while a handler answers, however long it takes.
        #expect(h.timer == nil)
        h.clock.advance(by: .seconds(300))
        #expect(h.fireTimer() == .wait)
        #expect(h.respond("answer") == .write)
        #expect(h.writeAll() == .wait)
        #expect(h.timer == RunningTimer(.idle, .seconds(60)))
        #expect(h.fireTimer(atDeadlineIn: .seconds(60)) == .close)
        #expect(h.sentText == "answer")
    }

    /// RFC 9112 §2.2: a client may send CRLF after a request (some do after a POST body); it
    /// starts no request, so the connection stays idle and closes quietly, never with a 408.
    @Test func emptyLinesAfterAnAnswerLeaveTheConnectionIdle() {
        var h = MachineHarness()
        #expect(h.receive("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi") == .lookUpBodyLimit(target: "/a"))
        #expect(h.bodyLimit(nil) == .dispatch(target: "/a", body: "hi", keepAlive: true))
        #expect(h.respond("answer") == .write)
        #expect(h.writeAll() == .wait)
        h.clock.advance(by: .seconds(1))
        #expect(h.receive("\r\n") == .wait)
        #expect(h.machine.isIdle)
        #expect(h.timer == RunningTimer(.idle, .seconds(59)))
        #expect(h.fireTimer(atDeadlineIn: .seconds(59)) == .close)
        #expect(h.sentText == "answer")
        // A fresh connection's empty line is not a first byte of a request either.
        var fresh = MachineHarness()
        #expect(fresh.receive("\r\n") == .wait)
        #expect(fresh.fireTimer(atDeadlineIn: .seconds(10)) == .close)
        #expect(fresh.sent.isEmpty)
        // The empty line is skipped when the request follows.
        var late = MachineHarness()
        #expect(late.receive("\r\n") == .wait)
        #expect(late.receive("GET /b HTTP/1.1\r\nHost: x\r\n\r\n") == .dispatch(target: "/b", body: "", keepAlive: true))
    }

    @Test func theNextRequestsHeaderTimerStartsAtItsFirstByte() {
        var h = MachineHarness()
        _ = h.receive("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = h.respond("answer")
        _ = h.writeAll()
        h.clock.advance(by: .seconds(50))
        #expect(h.receive("GET /b HT") == .wait)
        #expect(h.timer == RunningTimer(.header, .seconds(10)))
    }

    @Test func aResponseThatStopsDrainingClosesAtTheWriteTimeoutCountedFromTheLastProgress() {
        var h = MachineHarness()
        _ = h.receive("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(h.respond("a long answer") == .write)
        #expect(h.write(2) == .write)
        #expect(h.writeWouldBlock() == .wait)
        #expect(h.timer == RunningTimer(.write, .seconds(30)))
        h.clock.advance(by: .seconds(20))
        #expect(h.machine.writable(now: h.clock.now).step == .write)
        #expect(h.write(4) == .write)
        #expect(h.writeWouldBlock() == .wait)
        #expect(h.timer == RunningTimer(.write, .seconds(30)))
        #expect(h.fireTimer(atDeadlineIn: .seconds(30)) == .close)
        #expect(h.sentText == "a long")
    }

    @Test func aLingeringCloseEndsAtTheLingerTimeoutOrAtTheClientsFIN() {
        var h = MachineHarness()
        #expect(h.receive("GET / HTTP/1.1\r\n\r\n") == .respondWithError(status: 400))  // no Host
        _ = h.encodeError()
        #expect(h.writeAll() == .linger)
        #expect(h.timer == RunningTimer(.linger, .seconds(1)))
        #expect(h.readable() == .discardInput)
        #expect(h.fireTimer(atDeadlineIn: .seconds(1)) == .close)

        var fin = MachineHarness()
        _ = fin.receive("GET / HTTP/1.1\r\n\r\n")
        _ = fin.encodeError()
        _ = fin.writeAll()
        #expect(fin.endOfInput() == .close)
    }
}
