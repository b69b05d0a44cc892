/// How long a connection may take over each step, kept as whole milliseconds so arming a timer
/// is one addition.
struct ConnectionTimeouts: Sendable, Equatable {
    /// From the first byte of a request to the end of its header section (slowloris guard); also
    /// how long a new connection has to send its first byte.
    let header: Int64
    /// From the end of the header section to the end of the body.
    let body: Int64
    /// Between requests on a keep-alive connection.
    let idle: Int64
    /// Without progress while a response drains to a slow reader.
    let write: Int64
    /// Discarding input after an error answer before closing (nginx's lingering close).
    let linger: Int64

    init(header: Duration, body: Duration, idle: Duration, write: Duration, linger: Duration = .seconds(1)) {
        self.header = header.milliseconds
        self.body = body.milliseconds
        self.idle = idle.milliseconds
        self.write = write.milliseconds
        self.linger = linger.milliseconds
    }

    init(_ configuration: HTTPServerConfiguration) {
        self.init(header: configuration.headerTimeout, body: configuration.bodyTimeout,
                  idle: configuration.idleTimeout, write: configuration.writeTimeout)
    }
}
