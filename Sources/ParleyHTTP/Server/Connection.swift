/// One client connection on an event loop: its socket and identity, and the state machine that
/// decides what happens on it. Touched only on its loop's thread; while a request is being
/// answered the loop leaves the socket alone, so a streamed answer may write to it directly.
final class Connection {
    let fd: Int32
    /// Tells this connection from a later one that reuses its descriptor (answers carry it).
    let serial: UInt64
    let remoteAddress: String
    var machine: ConnectionStateMachine

    init(fd: Int32, serial: UInt64, remoteAddress: String, machine: ConnectionStateMachine) {
        self.fd = fd
        self.serial = serial
        self.remoteAddress = remoteAddress
        self.machine = machine
    }
}
