import CSQLite
import ParleyCore
import ParleySQLite

/// SQLite's answers that mean "the storage cannot serve this now" rather than a defect: a full disk
/// or size cap (`SQLITE_FULL`), a read-only file or file system (`SQLITE_READONLY`), failed I/O
/// (`SQLITE_IOERR`, `SQLITE_CANTOPEN`), and a writer held past the busy timeout.
extension SQLiteError: StorageFault {
    public var isStorageUnavailable: Bool {
        [SQLITE_FULL, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_BUSY, SQLITE_LOCKED].contains(primaryCode)
    }
}
