import Glibc
import Synchronization

/// The threads that run request handlers: a fixed set of pthreads taking work from one queue,
/// with as many running at once as there are cores, plus one for each handler that waits.
///
/// Handlers block (on their turn in a group commit, on a free reader): then more requests must be
/// in flight, or the writer's batches stay small. Handlers that do not block (`/health`, most
/// reads) run fastest on as many threads as cores: every extra thread woken costs a system call
/// and a context switch, more than such a handler itself. Dispatch's pool on Linux cannot tell a
/// waiting thread from a busy one (under 64 concurrent writes it ran four), so the code that waits
/// says so (`HandlerPool.waiting`), and the pool wakes another thread only while fewer than
/// `parallelism` of its threads are running and not waiting.
final class HandlerPool: @unchecked Sendable {
    // @unchecked: every var is touched only under `mutex`.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let available: UnsafeMutablePointer<pthread_cond_t>
    /// A ring buffer of pending work: `count` items from `head`.
    private var queue: [(@Sendable () -> Void)?]
    private var head = 0
    private var count = 0
    private var stopping = false
    /// Threads running a handler, and how many of those are waiting (see `waiting`).
    private var running = 0
    /// Atomic so that a wait can end without the mutex: when a group commit finishes, its forty
    /// handlers wake at once, and each taking the mutex only to say so made them queue for it.
    /// Ending a wait only takes room away, so no wake-up decision is owed then; one made meanwhile
    /// from the older count at most wakes a thread early.
    private let waitingCount = Atomic<Int>(0)
    /// Threads asleep for want of work, and how many of them have been signalled and not yet woken.
    private var sleeping = 0
    private var waking = 0
    private let threadCount: Int
    /// How many handlers run at once when none waits: the cores.
    let parallelism: Int
    /// Nice levels the threads run below the process (`HTTPServerConfiguration.requestThreadNiceness`).
    let niceness: Int32

    init(threads: Int, niceness: Int32 = 0, parallelism: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))) {
        threadCount = max(1, threads)
        self.niceness = niceness
        self.parallelism = max(1, parallelism)
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
            let thread = LoopThread { [self] in
                Self.current.set(self)
                RequestThreadPriority.lower(by: niceness)
                work()
            }
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
        wakeIfRoom()
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

    /// Wakes a thread for queued work while fewer than `parallelism` threads are running without
    /// waiting (under `mutex`).
    private func wakeIfRoom() {
        guard count > waking, sleeping > waking, running - waitingCount.load(ordering: .relaxed) + waking < parallelism else { return }
        waking += 1
        pthread_cond_signal(available)
    }

    private func work() {
        pthread_mutex_lock(mutex)
        while true {
            while count == 0 && !stopping {
                sleeping += 1
                pthread_cond_wait(available, mutex)
                sleeping -= 1
                if waking > 0 { waking -= 1 }
            }
            guard count > 0, let next = queue[head] else { break }
            queue[head] = nil
            head = (head + 1) % queue.count
            count -= 1
            running += 1
            wakeIfRoom()
            pthread_mutex_unlock(mutex)
            next()
            pthread_mutex_lock(mutex)
            running -= 1
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

    // MARK: Waiting handlers

    fileprivate func beginWaiting() {
        pthread_mutex_lock(mutex)
        waitingCount.add(1, ordering: .relaxed)
        wakeIfRoom()
        pthread_mutex_unlock(mutex)
    }

    fileprivate func endWaiting() {
        waitingCount.subtract(1, ordering: .relaxed)
    }

    /// The pool whose thread this is (nil on other threads).
    fileprivate static let current = ThreadLocalPool()
}

/// What code that waits (for its turn in a group commit, for a free reader) tells the handler
/// thread it runs on, so the pool runs another handler on the core meanwhile. On a thread that
/// is not a handler thread both do nothing.
public enum HandlerThreads {
    public static func willWait() { HandlerPool.current.get()?.beginWaiting() }
    public static func didWait() { HandlerPool.current.get()?.endWaiting() }
}

/// A per-thread reference to the pool a thread belongs to (pthread thread-specific data).
private final class ThreadLocalPool: @unchecked Sendable {
    // @unchecked: the key is created once; each thread reads and writes only its own slot.
    private var key = pthread_key_t()

    init() { precondition(pthread_key_create(&key, nil) == 0, "a pthread key could not be made") }

    func set(_ pool: HandlerPool) {
        // Fails only without memory for the slot; the thread would then never report its waits.
        precondition(pthread_setspecific(key, Unmanaged.passUnretained(pool).toOpaque()) == 0, "a thread's pool could not be recorded")
    }

    func get() -> HandlerPool? {
        pthread_getspecific(key).map { Unmanaged<HandlerPool>.fromOpaque($0).takeUnretainedValue() }
    }
}
