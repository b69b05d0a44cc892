import CParleySystem

/// The priority of the threads that serve requests (event loops, handlers, streams).
///
/// The database's writer thread runs every request's writes, one batch at a time; preempted by a
/// request thread half-way through a batch, it held up every write queued behind it (measured: a
/// quarter of the time it held the writer under 64 concurrent writes). It raises itself when it
/// may; when it may not, the request threads are lowered instead, all alike, so among themselves
/// they share the CPUs as before (lowering only the handlers cost reads a sixth of their
/// throughput: the event loops then preempted them).
enum RequestThreadPriority {
    /// Lowers the calling thread by `niceness` levels. Should that fail, the thread keeps the
    /// process's priority, which is correct and only slower under load.
    static func lower(by niceness: Int32) {
        guard niceness > 0 else { return }
        _ = parley_adjust_thread_priority(niceness)
    }
}
