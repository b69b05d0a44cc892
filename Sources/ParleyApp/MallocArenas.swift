import CParleySystem
import Glibc

/// glibc gives threads malloc arenas of their own, up to eight per core, and an arena keeps the
/// memory it once held. The server's 64 handler threads take turns at large requests (an import
/// of 25,000 rows), so in time every arena grows to the largest request it served: importing
/// 500,000 rows file by file, anonymous memory rose by 13 MiB a file and had not levelled off at
/// 170 MiB. With two arenas per core it stays at 75–90 MiB, and the import is no slower.
enum MallocArenas {
    /// Caps the arenas at two per core, unless the operator chose a number (`MALLOC_ARENA_MAX`,
    /// which glibc reads itself). Call before the server's threads start. False when glibc refused
    /// (it then keeps its default, which only costs memory).
    static func limit() -> Bool {
        guard getenv("MALLOC_ARENA_MAX") == nil else { return true }
        let cores = max(1, Int32(truncatingIfNeeded: sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        return parley_limit_malloc_arenas(2 * cores) == 1
    }
}
