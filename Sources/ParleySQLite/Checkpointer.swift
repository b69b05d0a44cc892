import CSQLite
import Dispatch
import Glibc
import Synchronization

/// What the checkpointer has done, for `/metrics` and the logs.
public struct CheckpointStatistics: Sendable {
    public var completed: UInt64 = 0
    /// Checkpoints that could not copy every frame because a reader or writer held part of the WAL.
    public var partial: UInt64 = 0
    public var failed: UInt64 = 0
    /// Frames in the WAL after the last checkpoint, and how many of them it copied.
    public var lastLogFrames: Int64 = 0
    public var lastCheckpointedFrames: Int64 = 0
}

/// The outcome of one checkpoint, as SQLite reports it.
public struct CheckpointResult: Sendable, Equatable {
    public let mode: String
    public let status: Int32
    public let logFrames: Int32
    public let checkpointedFrames: Int32
    public var isComplete: Bool { status == SQLITE_OK && logFrames >= 0 && logFrames == checkpointedFrames }
}

/// Folds the WAL back into the database on a thread of its own, so that a writer never pays for a
/// checkpoint inside its own transaction (SQLite's automatic checkpoint runs in the committing
/// thread) and the WAL stays bounded while the server runs.
///
/// - Once commits have added `thresholdFrames` frames to the WAL since the last checkpoint began, a
///   PASSIVE checkpoint runs; PASSIVE never blocks readers or the writer. Counting the frames added,
///   not the WAL's length, matters under a steady stream of commits: the WAL restarts only when a
///   checkpoint has caught up before the writer's next transaction, so its length stays above the
///   threshold, and a checkpoint after every commit copied a page as often as a commit wrote it
///   (a contact's index pages, written again a few commits later, were copied each time: the
///   checkpointer's CPU per logged contact fell by half with the count).
/// - Past `restartFactor` times the threshold in the WAL, the committing writer waits for a
///   checkpoint: it catches up while nothing is written, and the next transaction restarts the WAL
///   (a WAL that is not restarted grows without end under steady commits, and writing frames into
///   new parts of the file costs more than into the old). This back-pressure keeps the WAL bounded
///   whatever the scheduler does.
/// - The writer waits for that catch-up, so it must be short: the checkpoint syncs the WAL, and
///   the frames written since its last sync would be flushed there and then. Writeback of the WAL's
///   new frames is started ahead every `writebackFrames`, without waiting (`Writeback`). Not the
///   database file's: that would need a descriptor of its own on it, and closing any descriptor of
///   a file releases every POSIX lock the process holds on it, SQLite's included.
/// - When no commit has happened for `idleInterval`, a TRUNCATE checkpoint resets the WAL file to
///   zero bytes (it waits briefly for readers through the busy timeout).
/// - `journal_size_limit` on the writer truncates the WAL whenever SQLite restarts it.
///
/// A connection that has never read the database does not know the WAL index, and
/// `sqlite3_wal_checkpoint_v2` then answers OK with `-1` frames and copies nothing; so each
/// checkpoint first reads the schema cookie, and every result is checked and counted.
final class Checkpointer: @unchecked Sendable {
    // @unchecked: `connection` is only used on `queue`, a serial queue.
    private let connection: Connection
    private let queue = DispatchQueue(label: "parley.sqlite.checkpoint", qos: .utility)
    /// Background checkpoints: every `thresholdFrames` added, one at a time.
    private let checkpoints: FrameCadence
    private let commitsSinceIdleCheckpoint = Atomic<Int>(0)
    private let statistics = Mutex(CheckpointStatistics())
    private let report: @Sendable (CheckpointResult) -> Void
    private var idleTimer: (any DispatchSourceTimer)?
    let thresholdFrames: Int32
    let walPath: String
    /// The writer's catch-up comes when the WAL holds this many times `thresholdFrames`.
    static let restartFactor: Int32 = 8
    /// WAL frames between two starts of the WAL's writeback.
    static let writebackFrames: Int32 = 512
    private let walWriteback: Writeback
    private let writebackQueue = DispatchQueue(label: "parley.sqlite.writeback", qos: .utility)
    private let writebacks = FrameCadence(every: writebackFrames)

    init(path: String, thresholdFrames: Int32 = 2_048, idleInterval: Double = 5,
         report: @escaping @Sendable (CheckpointResult) -> Void) throws {
        connection = try Connection(path: path)
        self.thresholdFrames = thresholdFrames
        checkpoints = FrameCadence(every: thresholdFrames)
        self.walPath = path + "-wal"
        walWriteback = Writeback(path: path + "-wal")
        self.report = report
        guard idleInterval > 0 else { return }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + idleInterval, repeating: idleInterval)
        timer.setEventHandler { [unowned self] in checkpointIfIdle() }
        timer.resume()
        idleTimer = timer
    }

    deinit { idleTimer?.cancel() }

    /// Installs the hook on the writer. The hook holds an unretained reference: the pool keeps the
    /// checkpointer alive as long as the writer connection.
    func install(on writer: Connection) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_wal_hook(writer.handle, { context, _, _, frames in
            guard let context else { return SQLITE_OK }
            Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue().committed(frames: frames)
            return SQLITE_OK
        }, context)
    }

    /// The least time between two checkpoints a writer waits for, in nanoseconds.
    static let forcedInterval: UInt64 = 250_000_000
    private let lastForced = Atomic<UInt64>(0)

    /// Whether a writer may wait for a checkpoint now (and, if so, records that it does).
    private func forcedCheckpointDue() -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let nanoseconds = UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
        let last = lastForced.load(ordering: .relaxed)
        guard nanoseconds >= last + Self.forcedInterval else { return false }
        return lastForced.compareExchange(expected: last, desired: nanoseconds, ordering: .relaxed).exchanged
    }

    private func committed(frames: Int32) {
        commitsSinceIdleCheckpoint.wrappingAdd(1, ordering: .relaxed)
        if writebacks.claim(at: frames) {
            writebackQueue.async { [self] in
                walWriteback.start()
                writebacks.finished()
            }
        }
        if frames >= Self.restartFactor * thresholdFrames, forcedCheckpointDue() {
            // Under steady commits no background checkpoint catches up before the next transaction,
            // so the WAL cannot restart (and a starved checkpoint thread falls further behind).
            // The writer lets the running one finish (the queue is serial) and copies the rest
            // itself, while nothing is written: the checkpoint completes and the next transaction
            // restarts the WAL. At most every `forcedInterval`: a long reader that pins the WAL
            // would make every wait useless.
            _ = queue.sync { run(SQLITE_CHECKPOINT_PASSIVE, mode: "passive") }
            return
        }
        guard checkpoints.claim(at: frames) else { return }
        queue.async { [self] in
            _ = run(SQLITE_CHECKPOINT_PASSIVE, mode: "passive")
            checkpoints.finished()
        }
    }

    /// On the timer: a quiet database gets its WAL truncated to zero bytes.
    private func checkpointIfIdle() {
        let commits = commitsSinceIdleCheckpoint.exchange(0, ordering: .relaxed)
        guard commits == 0, walBytes > 0 else { return }
        _ = run(SQLITE_CHECKPOINT_TRUNCATE, mode: "truncate")
    }

    /// Runs one checkpoint on the checkpointer's own connection (call on `queue`).
    private func run(_ mode: Int32, mode name: String) -> CheckpointResult {
        var logFrames: Int32 = -1
        var checkpointed: Int32 = -1
        var status = connection.refreshWALIndex()
        if status == SQLITE_OK {
            status = sqlite3_wal_checkpoint_v2(connection.handle, nil, mode, &logFrames, &checkpointed)
        }
        let result = CheckpointResult(mode: name, status: status, logFrames: logFrames, checkpointedFrames: checkpointed)
        statistics.withLock { stats in
            if status == SQLITE_OK || status == SQLITE_BUSY {
                if result.isComplete { stats.completed += 1 } else { stats.partial += 1 }
                stats.lastLogFrames = Int64(logFrames)
                stats.lastCheckpointedFrames = Int64(checkpointed)
            } else {
                stats.failed += 1
            }
        }
        report(result)
        return result
    }

    /// Runs a checkpoint now and waits for it (tests, shutdown).
    func checkpointNow(truncate: Bool) -> CheckpointResult {
        queue.sync { run(truncate ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_PASSIVE, mode: truncate ? "truncate" : "passive") }
    }

    var snapshot: CheckpointStatistics { statistics.withLock { $0 } }

    /// The WAL file's size in bytes (0 when it does not exist).
    var walBytes: Int64 {
        var info = stat()
        return stat(walPath, &info) == 0 ? Int64(info.st_size) : 0
    }

    /// Waits for a scheduled checkpoint to finish.
    func drain() { queue.sync {} }

    func stop() {
        idleTimer?.cancel()
        queue.sync {}
    }
}

/// Work done every `every` frames the WAL gains, one run at a time: `claim` says whether to start
/// one now (the committing writer calls it), `finished` ends it (the queue that ran it).
final class FrameCadence: Sendable {
    let every: Int32
    private let running = Atomic<Bool>(false)
    /// The WAL's length in frames when the last run was claimed.
    private let framesAtLastRun = Atomic<Int32>(0)

    init(every: Int32) { self.every = every }

    /// True when the WAL has gained `every` frames since the last run and none is running; the
    /// caller then starts one. A WAL shorter than at the last run has restarted, and all its frames
    /// are new; one that restarted and already grew past that length is taken for the old one,
    /// which puts the next run off by at most that many frames (the writer's catch-up bounds the
    /// WAL all the same).
    func claim(at frames: Int32) -> Bool {
        let last = framesAtLastRun.load(ordering: .relaxed)
        let added = frames >= last ? frames - last : frames
        guard added >= every, !running.exchange(true, ordering: .acquiringAndReleasing) else { return false }
        framesAtLastRun.store(frames, ordering: .relaxed)
        return true
    }

    func finished() { running.store(false, ordering: .releasing) }
}
