#include <sqlite3.h>

/* sqlite3_config is variadic, which Swift cannot call. Memory statistics off: with them on (the
   default), every allocation and free of every connection takes one process-wide mutex. */
static inline int parley_sqlite3_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
