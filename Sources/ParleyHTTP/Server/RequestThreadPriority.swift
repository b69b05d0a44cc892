import CParleySystem

/// The priority of the threads that serve requests (event loops, handlers, streams).
///
/// The database's writer thread runs every request's writes, one batch at a time; preempted by a
/// request thread half-way through a batch, it held up every write queued behind it (measured: a
/// quarter of the time it held the writer under 64 concurrent writes). It raises itself when it
/// may; when it may not, the request threads are lowered instead, all alike, so among themselves
/// they share the CPUs as before (lowering only the handlers cost reads a sixth of their
/// throughput: the event loops then preempted them).
///
/// Request threads also run under `SCHED_BATCH`: a thread woken under it waits for a free CPU or
/// the next tick instead of preempting the one running. When the writer ends a batch it wakes
/// every handler that waited on it; under the default policy each woken handler took the writer's
/// CPU from it there and then (two thousand times in three seconds of 64 concurrent writes), so
/// the next batch waited on a dozen responses being written. The same holds between event loops
/// and handlers, which wake one another for every request. Any thread may choose the policy; it
/// changes only when a thread runs, never how much CPU it gets (Docs/performance.md).
enum RequestThreadPriority {
    /// Puts the calling thread under `SCHED_BATCH` and lowers it by `niceness` levels. Should
    /// either fail, the thread keeps the process's policy or priority, which is correct and only
    /// slower under load.
    static func lower(by niceness: Int32) {
        _ = parley_thread_batch_policy()
        guard niceness > 0 else { return }
        _ = parley_adjust_thread_priority(niceness)
    }
}
