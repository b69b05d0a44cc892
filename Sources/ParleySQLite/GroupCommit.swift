import CParleySystem
import CSQLite
import Dispatch
import Glibc
import Synchronization

/// Group commit: writes wait in a queue, and the pool's writer thread runs every queued write in
/// one transaction, each in a savepoint of its own, and commits once. A commit (appending the
/// changed pages to the WAL) costs about as much as the write itself, so under concurrent load
/// most of that cost is shared. Each write still sees every earlier one, succeeds or fails on its
/// own (a failing write rolls back only its savepoint), and returns only after the commit that
/// holds it.
///
/// The writes run on a thread of their own, not on the callers' threads: every write waits for
/// that thread, so it must not wait for a CPU. Preempted half-way through a batch, it holds up
/// every write queued behind it; so it runs above the threads that serve requests: raised itself
/// when the process may raise a thread's priority, else with those threads lowered (see
/// `DatabasePool.writerRunsAboveProcess`).
final class GroupCommit: @unchecked Sendable {
    // @unchecked: `pool` is set once in the pool's initialiser, before any write; `thread` and
    // `priorityBoost` are written by `start` and `stop`, which the pool calls once each;
    // `raisedPriority` by the new thread before it signals `prioritySet`, which `start` waits for.
    unowned(unsafe) var pool: DatabasePool!

    /// One queued write: its body, and its outcome once the batch holding it committed.
    final class Pending: @unchecked Sendable {
        // @unchecked: `outcome` is written by the writer thread before `wake.signal()` and read
        // by the waiting caller after `wake.wait()`.
        /// Dropped before `wake` is signalled: the caller's non-escaping body must not outlive its wait.
        var body: ((Connection) throws -> Any)?
        var outcome: Result<Any, any Error>?
        /// Signalled once the write is done.
        let wake = DispatchSemaphore(value: 0)
        /// A write that runs outside any batch and manages its own transaction (`writeAlone`).
        let runsAlone: Bool
        init(runsAlone: Bool = false, _ body: @escaping (Connection) throws -> Any) {
            self.runsAlone = runsAlone
            self.body = body
        }
    }

    /// The queued writes; whether the writer thread sleeps for want of them; whether it should end.
    private struct Queue {
        var pending: [Pending] = []
        var idle = false
        var stopping = false
    }

    private let queue = Mutex(Queue())
    /// Signalled when a write arrives for an idle writer thread, or when it should end.
    private let arrived = DispatchSemaphore(value: 0)
    private var thread: pthread_t?
    /// Set before the thread starts; read by it.
    var priorityBoost: Int32 = 0
    /// Writes per transaction at most, so one batch never holds the writer for long.
    static let batchLimit = 64

    /// Whether the writer thread runs above the process's priority (see `start`).
    private(set) var raisedPriority = false
    /// Signalled by the writer thread once it has tried to raise its priority.
    private let prioritySet = DispatchSemaphore(value: 0)

    /// Starts the writer thread, which first tries to raise its own priority by `priorityBoost`
    /// nice levels (allowed to privileged processes, or up to `RLIMIT_NICE`); returns once it knows
    /// whether it could.
    func start(priorityBoost: Int32) throws {
        self.priorityBoost = priorityBoost
        let unmanaged = Unmanaged.passRetained(self)
        var created = pthread_t()
        let status = pthread_create(&created, nil, { argument in
            guard let argument else { return nil }
            let groupCommit = Unmanaged<GroupCommit>.fromOpaque(argument).takeRetainedValue()
            groupCommit.raisedPriority = groupCommit.priorityBoost > 0 && parley_adjust_thread_priority(-groupCommit.priorityBoost) == 1
            groupCommit.prioritySet.signal()
            groupCommit.runUntilStopped()
            return nil
        }, unmanaged.toOpaque())
        guard status == 0 else {
            unmanaged.release()
            throw SQLiteError(code: SQLITE_ERROR, message: "cannot start the database writer thread: error \(status)")
        }
        // The name only helps `top` and profiles; failing to set it changes nothing else.
        _ = pthread_setname_np(created, "parley-writer")
        thread = created
        prioritySet.wait()
    }

    /// Runs the writes queued so far, then ends the writer thread and waits for it.
    func stop() {
        guard let thread else { return }
        self.thread = nil
        queue.withLock { $0.stopping = true }
        arrived.signal()
        // A write's body runs on the writer thread, and every caller of a write holds the pool:
        // the last reference can never be dropped there.
        precondition(pthread_equal(thread, pthread_self()) == 0, "the database pool was released by one of its own writes")
        let status = pthread_join(thread, nil)
        precondition(status == 0, "joining the database writer thread failed: error \(status)")
    }

    func write<T>(_ body: (Connection) throws -> T) throws -> T {
        try submit(runsAlone: false, body)
    }

    /// Runs `body` on the writer thread on its own, outside any transaction: for a bulk write that
    /// opens its own (so it too runs at the writer thread's priority).
    func writeAlone<T>(_ body: (Connection) throws -> T) throws -> T {
        try submit(runsAlone: true, body)
    }

    private func submit<T>(runsAlone: Bool, _ body: (Connection) throws -> T) throws -> T {
        // The caller waits for its result below, so the non-escaping body outlives its use.
        let outcome: Result<Any, any Error> = try withoutActuallyEscaping(body) { body in
            let pending = Pending(runsAlone: runsAlone) { db in try body(db) }
            let (wakeWriter, stopped) = queue.withLock { queue -> (Bool, Bool) in
                guard !queue.stopping else { return (false, true) }
                queue.pending.append(pending)
                defer { queue.idle = false }
                return (queue.idle, false)
            }
            if stopped { throw SQLiteError(code: SQLITE_MISUSE, message: "the database is closed") }
            if wakeWriter { arrived.signal() }
            pool.waits.willWait()
            pending.wake.wait()
            pool.waits.didWait()
            guard let outcome = pending.outcome else { throw SQLiteError(code: 1, message: "a write finished without an outcome") }
            return outcome
        }
        // `Any` holds exactly the `T` the body returned.
        guard let value = try outcome.get() as? T else { throw SQLiteError(code: 1, message: "a write returned an unexpected value") }
        return value
    }

    /// The writer thread: runs batches while writes are queued, sleeps while none are.
    private func runUntilStopped() {
        while true {
            let batch = queue.withLock { queue -> [Pending]? in
                guard !queue.pending.isEmpty else {
                    if queue.stopping { return nil }
                    queue.idle = true
                    return []
                }
                // The writes up to the first that runs alone; that one by itself.
                var taken: [Pending] = []
                for pending in queue.pending.prefix(Self.batchLimit) {
                    if pending.runsAlone {
                        if taken.isEmpty { taken.append(pending) }
                        break
                    }
                    taken.append(pending)
                }
                queue.pending.removeFirst(taken.count)
                return taken
            }
            guard let batch else { return }
            if batch.isEmpty {
                arrived.wait()
                continue
            }
            pool.writerLock.withLock {
                if batch.count == 1, batch[0].runsAlone { runAlone(batch[0]) } else { run(batch) }
            }
        }
    }

    private func runAlone(_ pending: Pending) {
        let result: Result<Any, any Error>
        if let body = pending.body {
            result = Result { try pool.whileHoldingWriter { db in try body(db) } }
        } else {
            result = .failure(SQLiteError(code: 1, message: "a write was run twice"))
        }
        pending.body = nil
        pending.outcome = result
        pending.wake.signal()
    }

    private func run(_ batch: [Pending]) {
        var results: [Result<Any, any Error>] = []
        do {
            try pool.whileHoldingWriter { db in
                try db.begin(.immediate)
                do {
                    try runInTransaction(batch, db, results: &results)
                } catch {
                    db.rollback()
                    throw error
                }
            }
        } catch {
            // No commit: nothing of the batch is stored, whatever each write returned.
            results = batch.map { _ in .failure(error) }
        }
        for (pending, result) in zip(batch, results) {
            pending.body = nil
            pending.outcome = result
            pending.wake.signal()
        }
    }

    /// Runs each write of `batch` in a savepoint of the open transaction, then commits.
    private func runInTransaction(_ batch: [Pending], _ db: Connection, results: inout [Result<Any, any Error>]) throws {
        // Some errors (a full disk, I/O) make SQLite roll back the whole transaction by
        // itself: then nothing of the batch is stored, no later write may run in it, and
        // every write of the batch fails with that error.
        var rolledBackBy: (any Error)?
        for pending in batch {
            guard db.isInTransaction else {
                throw rolledBackBy ?? SQLiteError(code: 1, message: "the transaction was rolled back by an earlier write's error")
            }
            do {
                let value = try db.savepoint(.batchItem) {
                    guard let body = pending.body else { throw SQLiteError(code: 1, message: "a write was run twice") }
                    return try body(db)
                }
                results.append(.success(value))
            } catch {
                if !db.isInTransaction { rolledBackBy = error }
                results.append(.failure(error))
            }
        }
        guard db.isInTransaction else {
            throw rolledBackBy ?? SQLiteError(code: 1, message: "the transaction was rolled back by a write's error")
        }
        try db.commit()
    }
}
