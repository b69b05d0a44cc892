@testable import ParleyHTTP
import Testing

/// A clock the test moves by hand; the state machine only ever sees the instants it is given.
struct FakeClock {
    private(set) var now = MonotonicInstant(milliseconds: 1_000_000)

    mutating func advance(by duration: Duration) { now = now + duration }

    /// The instant `duration` after now, without moving the clock.
    func after(_ duration: Duration) -> MonotonicInstant { now + duration }
}

/// An action reduced to what a test compares: the request's target rather than its whole head.
enum Step: Equatable {
    case wait
    case read
    case lookUpBodyLimit(target: String)
    case sendContinue
    case dispatch(target: String, body: String, keepAlive: Bool)
    case respondWithError(status: Int)
    case write
    case linger
    case discardInput
    case close
}

extension ConnectionAction {
    var step: Step {
        switch self {
        case .wait: .wait
        case .read: .read
        case .lookUpBodyLimit(let head): .lookUpBodyLimit(target: head.target)
        case .sendContinue: .sendContinue
        case .dispatch(let head, let body, let keepAlive):
            .dispatch(target: head.target, body: String(decoding: body, as: UTF8.self), keepAlive: keepAlive)
        case .respondWithError(let error): .respondWithError(status: error.status.code)
        case .write: .write
        case .linger: .linger
        case .discardInput: .discardInput
        case .close: .close
        }
    }
}

/// The test's side of the conversation: it plays the event loop, answering the machine's
/// actions the way the loop would, and says what the machine asked for.
struct MachineHarness {
    var clock = FakeClock()
    var machine: ConnectionStateMachine
    /// The machine's latest action.
    private(set) var last = ConnectionAction.wait
    /// Every byte the machine asked to send, in order.
    private(set) var sent: [UInt8] = []

    static let timeouts = ConnectionTimeouts(
        header: .seconds(10), body: .seconds(30), idle: .seconds(60), write: .seconds(30), linger: .seconds(1))

    init(limits: HTTPLimits = HTTPLimits()) {
        machine = ConnectionStateMachine(limits: limits, timeouts: Self.timeouts, now: clock.now)
    }

    var sentText: String { String(decoding: sent, as: UTF8.self) }

    private mutating func record(_ action: ConnectionAction) -> Step {
        last = action
        return action.step
    }

    /// Bytes arrive in one read; `drained` unless the read filled the loop's buffer.
    mutating func receive(_ text: String, drained: Bool = true) -> Step {
        let now = clock.now
        return record(Array(text.utf8).withUnsafeBytes { machine.received($0, drained: drained, now: now) })
    }

    mutating func readable(peerHalfClosed: Bool = false) -> Step {
        record(machine.readable(peerHalfClosed: peerHalfClosed))
    }

    mutating func endOfInput() -> Step { record(machine.endOfInput()) }

    /// Sends everything the machine has queued in one write.
    mutating func writeAll() -> Step {
        sent += machine.withUnsentOutput { Array($0) }
        return record(machine.wrote(machine.unsentOutputCount, now: clock.now))
    }

    /// Sends only `count` bytes of what is queued.
    mutating func write(_ count: Int) -> Step {
        sent += machine.withUnsentOutput { Array($0.prefix(count)) }
        return record(machine.wrote(count, now: clock.now))
    }

    mutating func writeWouldBlock() -> Step { record(machine.writeWouldBlock(now: clock.now)) }

    /// Answers the pending body-limit lookup.
    mutating func bodyLimit(_ limit: Int?) -> Step { record(machine.bodyLimitFound(limit, now: clock.now)) }

    mutating func continueSent() -> Step {
        sent += Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
        return record(machine.continueSent(now: clock.now))
    }

    /// A handler's encoded answer.
    mutating func respond(_ text: String, keepAlive: Bool = true) -> Step {
        record(machine.responseReady(Array(text.utf8), keepAlive: keepAlive, now: clock.now))
    }

    mutating func streamFinished(succeeded: Bool = true, keepAlive: Bool = true) -> Step {
        record(machine.streamFinished(succeeded: succeeded, keepAlive: keepAlive, now: clock.now))
    }

    /// Encodes the refusal the machine just asked for, as the loop would.
    mutating func encodeError() -> Step {
        guard case .respondWithError(let error) = last else { return .wait }
        return record(machine.errorResponseEncoded(error.encode(date: Array("today".utf8)), now: clock.now))
    }

    mutating func fireTimer() -> Step { record(machine.timerFired(now: clock.now)) }

    /// Moves the clock to one millisecond before a deadline `remaining` away, where firing the timer
    /// must do nothing, then to the deadline; returns what firing there does.
    mutating func fireTimer(atDeadlineIn remaining: Duration, sourceLocation: SourceLocation = #_sourceLocation) -> Step {
        clock.advance(by: remaining - .milliseconds(1))
        #expect(fireTimer() == .wait, "the timer acted a millisecond early", sourceLocation: sourceLocation)
        clock.advance(by: .milliseconds(1))
        return fireTimer()
    }

    mutating func shutdownBegan() -> Step { record(machine.shutdownBegan()) }

    mutating func gracePeriodEnded() -> Step { record(machine.gracePeriodEnded()) }

    mutating func socketFailed() -> Step { record(machine.socketFailed()) }

    /// The timer the machine has running now: its kind and the time left.
    var timer: RunningTimer? {
        machine.timer.map { RunningTimer($0.kind, .milliseconds($0.deadline.milliseconds - clock.now.milliseconds)) }
    }
}

struct RunningTimer: Equatable, CustomStringConvertible {
    let kind: ConnectionStateMachine.Timer.Kind
    let left: Duration

    init(_ kind: ConnectionStateMachine.Timer.Kind, _ left: Duration) {
        self.kind = kind
        self.left = left
    }

    var description: String { "\(kind) timer, \(left) left" }
}
