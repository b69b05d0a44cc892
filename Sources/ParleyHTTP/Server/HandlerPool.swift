import Glibc

/// The threads that run request handlers: a fixed set of pthreads taking work from one queue.
///
/// Handlers block (on SQLite, on the group commit's turn), and Dispatch's pool on Linux adds
/// threads only slowly when its threads block: under 64 concurrent writes it ran four, so four
/// requests were in flight and the writer's batches stayed small. A fixed pool sized for blocking
/// work keeps enough requests in flight for group commit to share its commits.
final class HandlerPool: @unchecked Sendable {
    // @unchecked: `queue`, `head`, `count` and `stopping` are only touched under `mutex`.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let available: UnsafeMutablePointer<pthread_cond_t>
    /// A ring buffer of pending work: `count` items from `head`.
    private var queue: [(@Sendable () -> Void)?]
    private var head = 0
    private var count = 0
    private var stopping = false
    private let threadCount: Int

    init(threads: Int) {
        threadCount = max(1, threads)
        mutex = .allocate(capacity: 1)
        available = .allocate(capacity: 1)
        precondition(pthread_mutex_init(mutex, nil) == 0 && pthread_cond_init(available, nil) == 0,
                     "a pthread mutex or condition could not be made")
        queue = Array(repeating: nil, count: 256)
    }

    deinit {
        pthread_cond_destroy(available)
        pthread_mutex_destroy(mutex)
        available.deallocate()
        mutex.deallocate()
    }

    /// Starts the threads; a thread that cannot be created stops those already started and is an error.
    func start(name: String) throws {
        for index in 0..<threadCount {
            let thread = LoopThread { [self] in work() }
            do {
                try thread.start(name: "\(name)-\(index)")
            } catch {
                stop()
                throw error
            }
        }
    }

    /// Queues `work` for the next free thread.
    func submit(_ work: @escaping @Sendable () -> Void) {
        pthread_mutex_lock(mutex)
        if count == queue.count { grow() }
        queue[(head + count) % queue.count] = work
        count += 1
        pthread_cond_signal(available)
        pthread_mutex_unlock(mutex)
    }

    /// Lets the threads finish the queued work, then end (without waiting for them: a handler
    /// that never returns must not hold up shutdown).
    func stop() {
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_cond_broadcast(available)
        pthread_mutex_unlock(mutex)
    }

    private func work() {
        pthread_mutex_lock(mutex)
        while true {
            while count == 0 && !stopping { pthread_cond_wait(available, mutex) }
            guard count > 0, let next = queue[head] else { break }
            queue[head] = nil
            head = (head + 1) % queue.count
            count -= 1
            pthread_mutex_unlock(mutex)
            next()
            pthread_mutex_lock(mutex)
        }
        pthread_mutex_unlock(mutex)
    }

    /// Doubles the ring, keeping the pending items in order (under `mutex`).
    private func grow() {
        var larger: [(@Sendable () -> Void)?] = Array(repeating: nil, count: queue.count * 2)
        for offset in 0..<count { larger[offset] = queue[(head + offset) % queue.count] }
        queue = larger
        head = 0
    }
}
