import Foundation

/// Starts work on a thread of its own. Work that waits (on a hand-off queue, the network, a
/// schedule) must never occupy the Dispatch pool that runs request handlers: enough of it would
/// leave no thread to answer requests.
public enum WorkerThread {
    public static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.start()
    }
}
