import Glibc
import ParleyCore

/// Without a webhook, messages are appended to a JSON-lines file. A line is written and synced to
/// disk before the message is marked sent, so a crash can repeat a line but never lose one.
struct OutboxDelivery: MessageDelivery {
    let path: String

    func deliver(_ message: OutboundMessage) -> DeliveryResult {
        let line = OutboundMessageJSON.encode(message) + [UInt8(ascii: "\n")]
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { return .failed("cannot open the outbox file: errno \(errno)") }
        defer { close(fd) }
        var written = 0
        while written < line.count {
            let count = line[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failed("cannot write the outbox file: errno \(errno)")
            }
            written += count
        }
        guard fsync(fd) == 0 else { return .failed("cannot sync the outbox file: errno \(errno)") }
        return .delivered
    }
}
