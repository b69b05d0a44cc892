import CParleySystem
import Glibc

/// Starts writing a file's dirty pages back to disk without waiting for them
/// (`sync_file_range(SYNC_FILE_RANGE_WRITE)`), so that a later `fdatasync` of the same file — a
/// checkpoint's, in the writer's catch-up — finds little left to wait for.
///
/// Not thread-safe: each instance is used on one serial queue. The file is opened on first use (the
/// WAL does not exist before the first write) and again after a failed call.
final class Writeback: @unchecked Sendable {
    private let path: String
    private var descriptor: Int32 = -1

    init(path: String) { self.path = path }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Starts the writeback; false when the file could not be opened or the call failed (a hint
    /// lost, nothing more: the sync that matters is SQLite's own).
    @discardableResult
    func start() -> Bool {
        if descriptor < 0 { descriptor = open(path, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else { return false }
        guard parley_start_writeback(descriptor) == 0 else {
            close(descriptor)
            descriptor = -1
            return false
        }
        return true
    }
}
