import CParleySystem
import Glibc
import Logging
import Synchronization

/// One event-loop thread: an epoll instance, the connections registered with it and their timers.
///
/// What happens on a connection is decided by its `ConnectionStateMachine`; the loop turns socket
/// readiness, handler answers and timer sweeps into the machine's events and performs the actions
/// it answers with (see `EventLoop+Actions`). Handlers run on the `HandlerPool`'s threads and hand
/// their answer back through `mailbox` and an eventfd wake-up, so a slow handler never stalls the
/// loop. Sockets are edge-triggered; the machine remembers readiness it cannot act on yet.
final class EventLoop: @unchecked Sendable {
    // @unchecked: everything but `mailbox`, `wakePending` and `stopRequested` is touched only on the
    // loop's own thread; those three are synchronised (Mutex and atomics).

    enum Completion: Sendable {
        case encoded(fd: Int32, serial: UInt64, bytes: [UInt8], keepAlive: Bool)
        case streamed(fd: Int32, serial: UInt64, succeeded: Bool, keepAlive: Bool)
    }

    let state: ServerState
    let listener: Int32
    let epollFD: Int32
    private let wakeFD: Int32
    private let mailbox = Mutex<[Completion]>([])
    private let wakePending = Atomic<Bool>(false)
    private let stopRequested = Atomic<Bool>(false)

    var connections: [Int32: Connection] = [:]
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    let timeouts: ConnectionTimeouts
    /// The instant of this wake-up: read once after `epoll_wait`, handed to every event it causes.
    var now = MonotonicInstant.now()
    private var drainDeadline = MonotonicInstant(milliseconds: 0)
    var listening = true
    /// When a paused listener is watched again, or nil when it is not paused.
    var acceptResumesAt: MonotonicInstant?
    private let sweepInterval: Int64
    private var nextSweep = MonotonicInstant(milliseconds: 0)

    init(state: ServerState, listener: Int32) throws {
        self.state = state
        self.listener = listener
        epollFD = try Socket.call("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        wakeFD = try Socket.call("eventfd") { eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC)) }
        timeouts = ConnectionTimeouts(state.configuration)
        let shortest = min(timeouts.header, timeouts.body, timeouts.idle, timeouts.write)
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
        now = .now()
        nextSweep = now + sweepInterval
        while true {
            let timeout = Int32(clamping: max(0, nextSweep.milliseconds - now.milliseconds))
            let ready = parley_epoll_wait(epollFD, &fds, &events, 256, timeout)
            if ready < 0 && errno != EINTR {
                state.logger.critical("epoll_wait failed", metadata: ["errno": "\(errno)"])
                break
            }
            now = .now()
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
            now = .now()
            if now >= nextSweep {
                sweep()
                resumeAcceptingIfDue()
                nextSweep = now + sweepInterval
            }
            if stopRequested.load(ordering: .acquiring) {
                if listening { beginDraining() }
                if connections.isEmpty { break }
                if now >= drainDeadline {
                    for connection in Array(connections.values) {
                        perform(connection.machine.gracePeriodEnded(), on: connection)
                    }
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

    private func beginDraining() {
        listening = false
        acceptResumesAt = nil
        _ = parley_epoll_ctl(epollFD, EPOLL_CTL_DEL, listener, 0)
        drainDeadline = now + state.configuration.shutdownGracePeriod
        for connection in Array(connections.values) {
            perform(connection.machine.shutdownBegan(), on: connection)
        }
    }

    /// Timers are a sweep over the connections every `sweepInterval`, not a timer each.
    private func sweep() {
        for connection in Array(connections.values) {
            if let deadline = connection.machine.deadline, now >= deadline {
                perform(connection.machine.timerFired(now: now), on: connection)
            }
        }
    }

    /// Forgets a connection its machine has closed, and releases its slot. Checked by identity:
    /// a descriptor number may already belong to a newer connection.
    func forget(_ connection: Connection) {
        guard connections[connection.fd] === connection else { return }
        connections[connection.fd] = nil
        close(connection.fd)
        state.openConnections.wrappingSubtract(1, ordering: .relaxed)
        state.release(connection.remoteAddress)
    }
}
