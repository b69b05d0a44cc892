import CParleySystem
import Glibc

/// Starts writing a file's dirty pages back to disk without waiting for them
/// (`sync_file_range(SYNC_FILE_RANGE_WRITE)`), so that a later `fdatasync` of the same file — a
/// checkpoint's, in the writer's catch-up — finds little left to wait for.
///
/// Only for a file SQLite holds no POSIX lock on (the WAL; its locks are on the database file and
/// the `-shm` file): closing any descriptor of a file releases every such lock the process holds
/// on it. Not thread-safe: each instance is used on one serial queue. The file is opened on first
/// use (the WAL does not exist before the first write), and again after a failed call or once the
/// file it had open was removed (a WAL deleted and made anew).
final class Writeback: @unchecked Sendable {
    private let path: String
    private var descriptor: Int32 = -1

    init(path: String) { self.path = path }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Starts the writeback; false when the file could not be opened or the call failed (a hint
    /// lost, nothing more: the sync that matters is SQLite's own).
    @discardableResult
    func start() -> Bool {
        if descriptor >= 0, !stillNamed { reset() }
        if descriptor < 0 { descriptor = open(path, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else { return false }
        guard parley_start_writeback(descriptor) == 0 else {
            reset()
            return false
        }
        return true
    }

    /// Whether the open file is still the one at `path`.
    private var stillNamed: Bool {
        var open = stat()
        var named = stat()
        guard fstat(descriptor, &open) == 0, stat(path, &named) == 0 else { return false }
        return open.st_nlink > 0 && open.st_ino == named.st_ino && open.st_dev == named.st_dev
    }

    private func reset() {
        close(descriptor)
        descriptor = -1
    }
}
