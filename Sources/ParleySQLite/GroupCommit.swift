import Dispatch
import Synchronization

/// Group commit: writes that arrive while another is running wait in a queue, and whoever takes
/// the writer runs every queued write in one transaction, each in a savepoint of its own, and
/// commits once. A commit (appending the changed pages to the WAL) costs about as much as the
/// write itself, so under concurrent load most of that cost is shared. Each write still sees
/// every earlier one, succeeds or fails on its own (a failing write rolls back only its
/// savepoint), and returns only after the commit that holds it.
final class GroupCommit: @unchecked Sendable {
    // @unchecked: `pool` is set once in the pool's initialiser, before any write.
    unowned(unsafe) var pool: DatabasePool!

    /// One queued write: its body, and its outcome once the batch holding it committed.
    final class Pending: @unchecked Sendable {
        // @unchecked: `outcome` is written by the batch's runner before `wake.signal()` and read
        // by the waiting caller after `wake.wait()`.
        /// Dropped before `wake` is signalled: the caller's non-escaping body must not outlive its wait.
        var body: ((Connection) throws -> Any)?
        var outcome: Result<Any, any Error>?
        /// Signalled once the write is done, or earlier to make its thread the runner.
        let wake = DispatchSemaphore(value: 0)
        init(_ body: @escaping (Connection) throws -> Any) { self.body = body }
    }

    /// The queued writes, and whether a thread is running them. Whoever finds no runner becomes it;
    /// a runner whose own write is done hands the role to the oldest queued write's thread, so the
    /// queue is never left without a runner and nobody waits on a timer.
    private struct Queue {
        var pending: [Pending] = []
        var running = false
    }

    private let queue = Mutex(Queue())
    /// Writes per transaction at most, so one batch never holds the writer for long.
    static let batchLimit = 64

    func write<T>(_ body: (Connection) throws -> T) throws -> T {
        // The caller waits for its result below, so the non-escaping body outlives its use.
        let outcome: Result<Any, any Error> = try withoutActuallyEscaping(body) { body in
            let pending = Pending { db in try body(db) }
            let runs = queue.withLock { queue -> Bool in
                queue.pending.append(pending)
                guard !queue.running else { return false }
                queue.running = true
                return true
            }
            if !runs {
                pool.waits.willWait()
                pending.wake.wait()
                pool.waits.didWait()
            }
            // Woken without an outcome: this thread is the runner now.
            if pending.outcome == nil { runBatches(until: pending) }
            guard let outcome = pending.outcome else { throw SQLiteError(code: 1, message: "a write finished without an outcome") }
            return outcome
        }
        // `Any` holds exactly the `T` the body returned.
        guard let value = try outcome.get() as? T else { throw SQLiteError(code: 1, message: "a write returned an unexpected value") }
        return value
    }

    /// Runs batches until the caller's own write is done, then hands the runner's role to the
    /// oldest queued write (so no request is held back running everyone else's), or gives it up.
    private func runBatches(until own: Pending) {
        pool.writerLock.withLock {
            while own.outcome == nil {
                let batch = queue.withLock { queue -> [Pending] in
                    let taken = Array(queue.pending.prefix(Self.batchLimit))
                    queue.pending.removeFirst(taken.count)
                    return taken
                }
                run(batch)
            }
        }
        let next = queue.withLock { queue -> Pending? in
            guard let first = queue.pending.first else {
                queue.running = false
                return nil
            }
            return first
        }
        next?.wake.signal()
    }

    private func run(_ batch: [Pending]) {
        var results: [Result<Any, any Error>] = []
        do {
            try pool.whileHoldingWriter { db in
                try db.begin(.immediate)
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
                do {
                    try db.commit()
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
}
