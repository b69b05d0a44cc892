/// What the server calls to answer requests. It knows nothing of routes; the router implements it.
public protocol HTTPResponder: Sendable {
    /// The body limit for a request, decided from its head alone, on the event loop: keep it cheap.
    /// Return nil for the server's default.
    func bodyLimit(for head: HTTPRequestHead) -> Int?

    /// Answers one request. Runs on a worker thread, never on an event loop, so it may block
    /// (on SQLite, say); it must not throw: errors are already responses here.
    func respond(to request: HTTPRequest) -> HTTPResponse
}
