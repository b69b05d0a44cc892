import Dispatch
import Glibc
import Synchronization

/// Where log lines go: standard error, through a buffer that is written out every 100 ms, when it
/// passes 64 KiB, at once (on the sink's queue) for warnings and worse, and on shutdown. One write(2) per flush instead of
/// one per line keeps the access log from costing a system call per request.
public final class LogSink: @unchecked Sendable {
    // @unchecked: `timer` is configured once in `init` and only fires on its own queue; the buffers are Mutexes.
    public static let standardError = LogSink(fd: 2)

    private let fd: Int32
    private let buffer = Mutex<[UInt8]>([])
    /// What a flush writes out: swapped for the filled buffer and kept, capacity and all, for the
    /// next swap, so flushing allocates and frees nothing. (Taking a copy and freeing it after the
    /// write meant an mmap and an munmap of a few hundred KiB per flush, and the munmap's TLB
    /// shootdown interrupts every core: a tenth of the server's CPU under /health.)
    private let spare = Mutex<[UInt8]>([])
    private let timer: any DispatchSourceTimer
    private let queue = DispatchQueue(label: "parley.log.flush", qos: .utility)

    init(fd: Int32) {
        self.fd = fd
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + .milliseconds(100), repeating: .milliseconds(100))
        timer.setEventHandler { [weak self] in self?.flush() }
        timer.resume()
    }

    /// Appends one line (which ends in a newline); `urgent` lines are written out at once, by the
    /// sink's own queue: the caller may be an event loop (`/health`), which must never wait on a
    /// slow reader of standard error.
    func write(_ line: [UInt8], urgent: Bool) {
        let full = buffer.withLock { pending -> Bool in
            pending.append(contentsOf: line)
            return pending.count >= 64 * 1024
        }
        if urgent || full { queue.async { [self] in flush() } }
    }

    /// Writes out everything buffered.
    public func flush() {
        spare.withLock { out in
            buffer.withLock { pending in swap(&pending, &out) }
            guard !out.isEmpty else { return }
            out.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                    if written <= 0 { if errno == EINTR { continue } else { break } }
                    offset += written
                }
            }
            out.removeAll(keepingCapacity: true)
        }
    }
}
