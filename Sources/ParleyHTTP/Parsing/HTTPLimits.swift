/// Size limits applied while parsing a request.
///
/// Defaults follow nginx's order of magnitude: a request line over 8 KiB is 414, a header
/// section over 32 KiB or 100 fields is 431, a body over the limit is 413 (RFC 9110 §15.5).
public struct HTTPLimits: Sendable, Equatable {
    public var maxRequestLineBytes = 8 * 1024
    public var maxHeaderBytes = 32 * 1024
    public var maxHeaderCount = 100
    /// The default body limit; a route may allow more (imports take 10 MiB).
    public var maxBodyBytes = 1 << 20
    /// The longest chunk-size line, extensions included.
    public var maxChunkLineBytes = 4 * 1024

    public init() {}
}
