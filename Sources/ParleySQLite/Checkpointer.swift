import CSQLite
import Dispatch
import Synchronization

/// Folds the WAL back into the database on a background queue, so that a writer never pays for a
/// checkpoint inside its own transaction (SQLite's automatic checkpoint runs in the committing
/// thread). Registered as the writer's WAL hook: after a commit leaves at least `thresholdFrames`
/// frames in the WAL, a PASSIVE checkpoint is scheduled on its own connection; PASSIVE never
/// blocks readers or the writer.
final class Checkpointer: @unchecked Sendable {
    // @unchecked: `connection` is only used on `queue`, a serial queue.
    private let connection: Connection
    private let queue = DispatchQueue(label: "parley.sqlite.checkpoint", qos: .utility)
    private let pending = Atomic<Bool>(false)
    let thresholdFrames: Int32

    init(path: String, thresholdFrames: Int32 = 4_096) throws {
        connection = try Connection(path: path)
        self.thresholdFrames = thresholdFrames
    }

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

    private func committed(frames: Int32) {
        guard frames >= thresholdFrames, !pending.exchange(true, ordering: .acquiringAndReleasing) else { return }
        queue.async { [self] in
            _ = sqlite3_wal_checkpoint_v2(connection.handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            pending.store(false, ordering: .releasing)
        }
    }

    /// Waits for a scheduled checkpoint to finish.
    func drain() { queue.sync {} }
}
