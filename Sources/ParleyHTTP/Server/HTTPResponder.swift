/// What the server calls to answer requests. It knows nothing of routes; the router implements it.
public protocol HTTPResponder: Sendable {
    /// The body limit for a request, decided from its head alone, on the event loop: keep it cheap.
    /// Return nil for the server's default.
    func bodyLimit(for head: HTTPRequestHead) -> Int?

    /// Answers one request. Runs on a handler thread, so it may block (on SQLite, say), unless
    /// `answersOnLoop` chose the event loop; it must not throw: errors are already responses here.
    func respond(to request: HTTPRequest) -> HTTPResponse

    /// Whether the event loop may answer this request itself, on its own thread, rather than hand it
    /// to a handler thread: true only for answers that never wait. Decided from the head alone, on
    /// the event loop: keep it cheap.
    func answersOnLoop(_ head: HTTPRequestHead) -> Bool
}

extension HTTPResponder {
    public func answersOnLoop(_ head: HTTPRequestHead) -> Bool { false }
}
