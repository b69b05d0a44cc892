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
        // @unchecked: `outcome` is written by the batch's runner before `done.signal()` and read
        // by the waiting caller after `done.wait()`.
        /// Dropped before `done` is signalled: the caller's non-escaping body must not outlive its wait.
        var body: ((Connection) throws -> Any)?
        var outcome: Result<Any, any Error>?
        let done = DispatchSemaphore(value: 0)
        init(_ body: @escaping (Connection) throws -> Any) { self.body = body }
    }

    private let queue = Mutex<[Pending]>([])
    /// Writes per transaction at most, so one batch never holds the writer for long.
    static let batchLimit = 64

    func write<T>(_ body: (Connection) throws -> T) throws -> T {
        // The caller waits for its result below, so the non-escaping body outlives its use.
        let outcome: Result<Any, any Error> = try withoutActuallyEscaping(body) { body in
            let pending = Pending { db in try body(db) }
            queue.withLock { $0.append(pending) }
            while true {
                if pool.writerLock.tryLock() {
                    defer { pool.writerLock.unlock() }
                    drain(until: pending)
                }
                // Either this thread ran the batch holding it, or another runner will: wait a
                // moment and look again (the runner may have finished just before it was queued).
                if pending.done.wait(timeout: .now() + .milliseconds(2)) == .success {
                    guard let outcome = pending.outcome else { throw SQLiteError(code: 1, message: "a write finished without an outcome") }
                    return outcome
                }
            }
        }
        // `Any` holds exactly the `T` the body returned.
        guard let value = try outcome.get() as? T else { throw SQLiteError(code: 1, message: "a write returned an unexpected value") }
        return value
    }

    /// Runs batches until the caller's own write is done (then another waiting thread takes over,
    /// so no request is held back running everyone else's writes); the caller holds the writer lock.
    private func drain(until own: Pending) {
        while own.outcome == nil {
            let batch = queue.withLock { queue -> [Pending] in
                let taken = Array(queue.prefix(Self.batchLimit))
                queue.removeFirst(taken.count)
                return taken
            }
            guard !batch.isEmpty else { return }
            run(batch)
        }
    }

    private func run(_ batch: [Pending]) {
        var results: [Result<Any, any Error>] = []
        do {
            try pool.whileHoldingWriter { db in
                try db.run("BEGIN IMMEDIATE")
                for pending in batch {
                    // Some errors (a full disk, I/O) make SQLite roll back the whole transaction by
                    // itself: then nothing of the batch is stored and no later write may run in it.
                    guard db.isInTransaction else {
                        throw SQLiteError(code: 1, message: "the transaction was rolled back by an earlier write's error")
                    }
                    do {
                        try db.run("SAVEPOINT batch_item")
                        guard let body = pending.body else { throw SQLiteError(code: 1, message: "a write was run twice") }
                        let value = try body(db)
                        try db.run("RELEASE batch_item")
                        results.append(.success(value))
                    } catch {
                        _ = try? db.run("ROLLBACK TO batch_item")
                        _ = try? db.run("RELEASE batch_item")
                        results.append(.failure(error))
                    }
                }
                guard db.isInTransaction else {
                    throw SQLiteError(code: 1, message: "the transaction was rolled back by a write's error")
                }
                do {
                    try db.run("COMMIT")
                } catch {
                    _ = try? db.run("ROLLBACK")
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
            pending.done.signal()
        }
    }
}
