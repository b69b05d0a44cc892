import CSQLite
import ParleyCore
import ParleySQLite
import ParleyStore
import Testing

/// Which SQLite failures mean "the storage cannot serve this now" (503) rather than a defect (500).
@Suite struct StorageFaultMappingTests {
    @Test(arguments: [SQLITE_FULL, SQLITE_READONLY, SQLITE_IOERR, SQLITE_IOERR | (3 << 8), SQLITE_CANTOPEN, SQLITE_BUSY])
    func storageFailuresAreUnavailability(code: Int32) {
        let fault: any StorageFault = SQLiteError(code: code, message: "m")
        #expect(fault.isStorageUnavailable)
    }

    @Test(arguments: [SQLITE_CONSTRAINT | (8 << 8), SQLITE_ERROR, SQLITE_MISUSE, SQLITE_CORRUPT])
    func defectsAreNot(code: Int32) {
        let fault: any StorageFault = SQLiteError(code: code, message: "m")
        #expect(!fault.isStorageUnavailable)
    }
}
