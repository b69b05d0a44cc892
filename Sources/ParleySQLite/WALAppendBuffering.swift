import CSQLite
import Glibc
import Synchronization

/// A VFS over the default one whose WAL files gather the frames of a commit and append them in
/// 64 KiB writes, instead of two per frame (its 24-byte header, then its page): writing a group
/// commit's frames was a sixth of the writer's time, most of it the file system's work per call
/// (locking the inode, updating its times, checking permissions) for a few kilobytes each.
///
/// Only the writer connection opens its database through this VFS (`name`); its database file
/// and every file of every other connection are the default VFS's own, unwrapped.
///
/// Nothing written is ever left in the buffer where another connection, or SQLite itself, could
/// miss it. SQLite publishes a commit in the `-shm` index after writing the commit's last frame
/// (the one whose header names the database's size after it), and may write over earlier frames'
/// headers in between (new checksums, after rewriting a page in place): so from that header on,
/// until the next transaction's first frame, every write goes out at once. The buffer is also
/// written out before any read, sync, truncation, size query or file control, before a write
/// elsewhere than at its end, when it is full, and at close. A failed write of the buffer is the
/// failed write of the call that set it off, returned to SQLite as such. Files whose device may
/// not overwrite a sector safely (no `SQLITE_IOCAP_POWERSAFE_OVERWRITE`, where SQLite pads and
/// splits commits) are written through.
enum WALAppendBuffering {
    /// The VFS's registered name, for `sqlite3_open_v2`.
    static let name = "parley-wal"

    /// Registers the VFS (not as the default); false if that failed, and then nothing uses it.
    /// Call once, after the library's other process-wide settings.
    static func register() -> Bool {
        guard let real = sqlite3_vfs_find(nil) else { return false }
        let vfs = UnsafeMutablePointer<sqlite3_vfs>.allocate(capacity: 1)
        vfs.initialize(to: real.pointee)
        vfs.pointee.pNext = nil
        guard let copiedName = strdup(name) else { return false }
        vfs.pointee.zName = UnsafePointer(copiedName)
        vfs.pointee.szOsFile = Int32(innerOffset) + real.pointee.szOsFile
        vfs.pointee.pAppData = UnsafeMutableRawPointer(real)
        vfs.pointee.xOpen = { vfs, path, file, flags, outFlags in
            guard let vfs, let file, let real = vfs.pointee.pAppData?.assumingMemoryBound(to: sqlite3_vfs.self) else {
                return SQLITE_MISUSE
            }
            // Only a WAL opened for writing gathers its appends; everything else is the real file.
            guard flags & SQLITE_OPEN_WAL != 0, flags & SQLITE_OPEN_READONLY == 0 else {
                return real.pointee.xOpen(real, path, file, flags, outFlags)
            }
            let wrapper = BufferedWAL.from(file)
            let inner = UnsafeMutableRawPointer(file).advanced(by: WALAppendBuffering.innerOffset).assumingMemoryBound(to: sqlite3_file.self)
            wrapper.pointee.base.pMethods = nil
            let status = real.pointee.xOpen(real, path, inner, flags, outFlags)
            guard status == SQLITE_OK else { return status }
            guard let buffer = malloc(WALAppendBuffering.capacity) else {
                if let close = inner.pointee.pMethods?.pointee.xClose { _ = close(inner) }
                return SQLITE_NOMEM
            }
            wrapper.initialize(to: BufferedWAL(base: sqlite3_file(pMethods: UnsafePointer(WALAppendBuffering.methods)), inner: inner,
                                               buffer: buffer.assumingMemoryBound(to: UInt8.self)))
            let device = inner.pointee.pMethods?.pointee.xDeviceCharacteristics?(inner) ?? 0
            wrapper.pointee.gathers = device & SQLITE_IOCAP_POWERSAFE_OVERWRITE != 0
            return SQLITE_OK
        }
        guard sqlite3_vfs_register(vfs, 0) == SQLITE_OK else { return false }
        return true
    }

    /// The bytes gathered so far in the WAL of `db`'s main database, nil when that WAL is not one
    /// of these (not open yet, or opened by another VFS). Zero between commits.
    static func pendingBytes(_ db: OpaquePointer) -> Int? {
        var file: UnsafeMutablePointer<sqlite3_file>?
        guard sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &file) == SQLITE_OK, let file,
              file.pointee.pMethods == UnsafePointer(methods) else { return nil }
        return BufferedWAL.from(file).pointee.length
    }

    /// Called after each commit on a connection: a commit whose last frame is still gathered was
    /// published without it, which SQLite's order of writes rules out. Should a future SQLite write
    /// otherwise, the frames are written at once and appends are no longer gathered in this process.
    static func checkCommitWritten(_ db: OpaquePointer) {
        var file: UnsafeMutablePointer<sqlite3_file>?
        guard sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &file) == SQLITE_OK, let file,
              file.pointee.pMethods == UnsafePointer(methods) else { return }
        let wal = BufferedWAL.from(file)
        // Frames of a transaction that spilled and then rolled back may stay gathered: they lie
        // past the last commit and are written over, or out, later, as SQLite itself would.
        guard wal.pointee.sealed, wal.pointee.length > 0 else { return }
        gathering.store(false, ordering: .relaxed)
        _ = wal.pointee.flush()
        assertionFailure("a commit's WAL frames were still gathered after the commit")
    }

    /// Cleared if a commit was ever found unwritten (`checkCommitWritten`): appends then go straight through.
    static let gathering = Atomic<Bool>(true)

    /// Where the default VFS's file lies inside ours.
    private static let innerOffset = (MemoryLayout<BufferedWAL>.stride + 15) & ~15
    /// The most a WAL gathers before it writes: a group commit of 64 contacts is about 250 frames.
    static let capacity = 1 << 20

    /// The methods of a buffered WAL: appends gathered, everything else passed on after a flush.
    // nonisolated(unsafe): written once, by its initialiser; only read after.
    nonisolated(unsafe) private static let methods: UnsafeMutablePointer<sqlite3_io_methods> = {
        var io = sqlite3_io_methods()
        io.iVersion = 3
        io.xClose = { file in
            let wal = BufferedWAL.from(file)
            let flushed = wal.pointee.flush()
            let inner = wal.pointee.inner
            let closed = inner.pointee.pMethods?.pointee.xClose?(inner) ?? SQLITE_OK
            free(wal.pointee.buffer)
            wal.deinitialize(count: 1)
            return flushed != SQLITE_OK ? flushed : closed
        }
        io.xRead = { file, data, amount, offset in
            BufferedWAL.from(file).pointee.flushed { inner, real in real.xRead!(inner, data, amount, offset) }
        }
        io.xWrite = { file, data, amount, offset in
            BufferedWAL.from(file).pointee.write(data, Int(amount), at: offset)
        }
        io.xTruncate = { file, size in
            BufferedWAL.from(file).pointee.flushed { inner, real in real.xTruncate!(inner, size) }
        }
        io.xSync = { file, flags in
            BufferedWAL.from(file).pointee.flushed { inner, real in real.xSync!(inner, flags) }
        }
        io.xFileSize = { file, size in
            BufferedWAL.from(file).pointee.flushed { inner, real in real.xFileSize!(inner, size) }
        }
        io.xLock = { file, lock in
            BufferedWAL.from(file).pointee.passed { inner, real in real.xLock!(inner, lock) }
        }
        io.xUnlock = { file, lock in
            BufferedWAL.from(file).pointee.passed { inner, real in real.xUnlock!(inner, lock) }
        }
        io.xCheckReservedLock = { file, result in
            BufferedWAL.from(file).pointee.passed { inner, real in real.xCheckReservedLock!(inner, result) }
        }
        io.xFileControl = { file, operation, argument in
            BufferedWAL.from(file).pointee.flushed { inner, real in real.xFileControl!(inner, operation, argument) }
        }
        io.xSectorSize = { file in
            BufferedWAL.from(file).pointee.passed { inner, real in real.xSectorSize!(inner) }
        }
        io.xDeviceCharacteristics = { file in
            BufferedWAL.from(file).pointee.passed { inner, real in real.xDeviceCharacteristics!(inner) }
        }
        // SQLite maps no shared memory and no pages of a WAL; passed on all the same.
        io.xShmMap = { file, page, size, extend, mapped in
            let wal = BufferedWAL.from(file)
            guard let map = wal.pointee.inner.pointee.pMethods?.pointee.xShmMap else { return SQLITE_IOERR }
            return map(wal.pointee.inner, page, size, extend, mapped)
        }
        io.xShmLock = { file, offset, count, flags in
            let wal = BufferedWAL.from(file)
            guard let lock = wal.pointee.inner.pointee.pMethods?.pointee.xShmLock else { return SQLITE_IOERR }
            return lock(wal.pointee.inner, offset, count, flags)
        }
        io.xShmBarrier = { file in
            let wal = BufferedWAL.from(file)
            wal.pointee.inner.pointee.pMethods?.pointee.xShmBarrier?(wal.pointee.inner)
        }
        io.xShmUnmap = { file, delete in
            let wal = BufferedWAL.from(file)
            guard let unmap = wal.pointee.inner.pointee.pMethods?.pointee.xShmUnmap else { return SQLITE_OK }
            return unmap(wal.pointee.inner, delete)
        }
        io.xFetch = { file, offset, amount, page in
            page?.pointee = nil  // no mapping: SQLite reads instead
            return SQLITE_OK
        }
        io.xUnfetch = { _, _, _ in SQLITE_OK }
        let methods = UnsafeMutablePointer<sqlite3_io_methods>.allocate(capacity: 1)
        methods.initialize(to: io)
        return methods
    }()
}

/// A WAL file of the buffering VFS: SQLite's `sqlite3_file` (first, as SQLite requires), the real
/// file it wraps, and the appends gathered since the last write.
private struct BufferedWAL {
    var base: sqlite3_file
    let inner: UnsafeMutablePointer<sqlite3_file>
    let buffer: UnsafeMutablePointer<UInt8>
    /// Where in the file the gathered bytes go, and how many there are.
    var start: Int64 = 0
    var length = 0
    /// Set from a commit's last frame until the next transaction's first frame: SQLite may publish
    /// the commit once that frame is written, and may still write over earlier frames' headers
    /// (their checksums, when it rewrote a page in place), so every write goes out at once.
    var sealed = false
    /// Where the frames written while sealed end: the next transaction's frames start there.
    var sealedEnd: Int64 = 0
    /// Whether this file gathers at all (see `WALAppendBuffering`).
    var gathers = false

    init(base: sqlite3_file, inner: UnsafeMutablePointer<sqlite3_file>, buffer: UnsafeMutablePointer<UInt8>) {
        self.base = base
        self.inner = inner
        self.buffer = buffer
    }

    static func from(_ file: UnsafeMutablePointer<sqlite3_file>?) -> UnsafeMutablePointer<BufferedWAL> {
        UnsafeMutableRawPointer(file!).assumingMemoryBound(to: BufferedWAL.self)
    }

    /// The real file's methods (an open file always has them).
    var innerMethods: sqlite3_io_methods { inner.pointee.pMethods!.pointee }

    /// `call` on the real file, with nothing gathered left unwritten before it.
    mutating func flushed(_ call: (UnsafeMutablePointer<sqlite3_file>, sqlite3_io_methods) -> Int32) -> Int32 {
        let status = flush()
        return status == SQLITE_OK ? call(inner, innerMethods) : status
    }

    /// `call` on the real file, as it is.
    func passed(_ call: (UnsafeMutablePointer<sqlite3_file>, sqlite3_io_methods) -> Int32) -> Int32 {
        call(inner, innerMethods)
    }

    /// Size of a WAL frame's header; the database's size after a commit is its second big-endian
    /// word, zero in other frames. The WAL's own header, at its start, is larger.
    static let frameHeaderSize = 24
    static let walHeaderSize = 32

    mutating func write(_ data: UnsafeRawPointer?, _ amount: Int, at offset: Int64) -> Int32 {
        guard let data else { return SQLITE_MISUSE }
        let bytes = data.assumingMemoryBound(to: UInt8.self)
        if amount == Self.walHeaderSize, offset == 0 {
            sealed = false  // the WAL starts over
        } else if amount == Self.frameHeaderSize {
            if bytes[4] | bytes[5] | bytes[6] | bytes[7] != 0 {
                sealed = true  // the header of a commit's frame (or a rewrite of it)
            } else if sealed, offset >= sealedEnd {
                sealed = false  // the next transaction's first frame
            }
        }
        let gathering = gathers && WALAppendBuffering.gathering.load(ordering: .relaxed)
        if length > 0, offset != start + Int64(length) || length + amount > WALAppendBuffering.capacity || !gathering {
            let flushed = flush()
            guard flushed == SQLITE_OK else { return flushed }
        }
        if sealed { sealedEnd = max(sealedEnd, offset + Int64(amount)) }
        if amount > Self.largestWrite || !gathering {
            return innerMethods.xWrite!(inner, data, Int32(amount), offset)
        }
        if length == 0 { start = offset }
        (buffer + length).update(from: bytes, count: amount)
        length += amount
        return sealed ? flush() : SQLITE_OK
    }

    /// Writes the gathered bytes; they are dropped either way (SQLite treats a failed write as
    /// the failed write of its frames, and writes them again if it tries again).
    mutating func flush() -> Int32 {
        guard length > 0 else { return SQLITE_OK }
        let count = length
        length = 0
        var written = 0
        while written < count {
            let chunk = min(count - written, Self.largestWrite)
            let status = innerMethods.xWrite!(inner, buffer + written, Int32(chunk), start + Int64(written))
            guard status == SQLITE_OK else { return status }
            written += chunk
        }
        return SQLITE_OK
    }

    /// The most the unix VFS writes in one call: it masks a write's length to 17 bits.
    static let largestWrite = 1 << 16
}
