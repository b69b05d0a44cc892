import Glibc

/// One client connection's state. Owned by a single event loop and touched only on its thread;
/// while a request is being answered (`processing`), the loop leaves its socket alone, so a worker
/// that streams a body may write to it directly.
final class Connection {
    enum Phase {
        /// Waiting for, or reading, a request.
        case reading
        /// A worker is answering; reads are held back so pipelined answers stay in order.
        case processing
        /// A response is draining to the socket.
        case writing
        /// An error answer was sent and the write side shut; unread input is discarded until close.
        case lingering
        case closed
    }

    let fd: Int32
    let serial: UInt64
    let remoteAddress: String
    var phase = Phase.reading
    var parser: HTTPRequestParser
    var input: [UInt8] = []
    var inputIndex = 0
    var output: [UInt8] = []
    var outputIndex = 0
    /// Close once the pending output is written.
    var closeAfterWrite = false
    /// After an error answer, discard input briefly before closing (see `EventLoop.linger`).
    var lingerAfterWrite = false
    /// Cleared when the server starts draining: the next answer closes the connection.
    var requestKeepAlive = true
    /// The socket reported data while we were not reading (edge-triggered epoll): read it later.
    var readPending = false
    /// The peer shut its write side (EPOLLRDHUP): reads continue until end of stream.
    var peerClosed = false
    /// When the current phase times out (monotonic milliseconds), or 0 for never.
    var deadline: Int64 = 0
    var deadlineIsForHead = false

    init(fd: Int32, serial: UInt64, remoteAddress: String, limits: HTTPLimits) {
        self.fd = fd
        self.serial = serial
        self.remoteAddress = remoteAddress
        self.parser = HTTPRequestParser(limits: limits)
    }

    var hasBufferedInput: Bool { inputIndex < input.count }

    /// Whether no request is under way: safe to close on shutdown or idle timeout.
    var isIdle: Bool { phase == .reading && !hasBufferedInput && parser.isIdle }

    /// Drops consumed input so the buffer does not grow with a long keep-alive session.
    func compactInput() {
        if inputIndex == input.count {
            input.removeAll(keepingCapacity: input.capacity <= 64 * 1024)
            inputIndex = 0
        } else if inputIndex > 32 * 1024 {
            input.removeFirst(inputIndex)
            inputIndex = 0
        }
    }
}
