/// Writes a streamed response from a worker thread, straight to the socket, in chunked coding
/// (or raw until close for HTTP/1.0). The event loop leaves the socket alone meanwhile.
enum StreamWriter {
    static func write(
        _ response: HTTPResponse,
        produce: @Sendable (_ write: (ArraySlice<UInt8>) throws -> Void) throws -> Void,
        finalizer: ResponseFinalizer, fd: Int32, timeoutMilliseconds: Int64
    ) -> Bool {
        let chunked = finalizer.requestHead.version == .http1_1
        let head = finalizer.encodeStreamHead(response)
        guard head.withUnsafeBytes({ Socket.sendAll(fd, $0, timeoutMilliseconds: timeoutMilliseconds) }) else {
            return false
        }
        if finalizer.requestHead.method == "HEAD" { return true }
        struct WriteFailed: Error {}
        do {
            var pending: [UInt8] = []
            pending.reserveCapacity(64 * 1024)
            func send(_ bytes: [UInt8]) throws {
                guard bytes.withUnsafeBytes({ Socket.sendAll(fd, $0, timeoutMilliseconds: timeoutMilliseconds) }) else {
                    throw WriteFailed()
                }
            }
            func flushChunk() throws {
                guard !pending.isEmpty else { return }
                if chunked {
                    try send(Array((String(pending.count, radix: 16) + "\r\n").utf8) + pending + [0x0D, 0x0A])
                } else {
                    try send(pending)
                }
                pending.removeAll(keepingCapacity: true)
            }
            // Small pieces are gathered into ~32 KiB chunks: fewer syscalls, less framing.
            try produce { piece in
                pending.append(contentsOf: piece)
                if pending.count >= 32 * 1024 { try flushChunk() }
            }
            try flushChunk()
            if chunked { try send(Array("0\r\n\r\n".utf8)) }
            return true
        } catch {
            return false
        }
    }
}
