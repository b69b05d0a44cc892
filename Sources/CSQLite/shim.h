#include <sqlite3.h>

/* sqlite3_config is variadic, which Swift cannot call. Memory statistics off: with them on (the
   default), every allocation and free of every connection takes one process-wide mutex. */
static inline int parley_sqlite3_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* The page cache implementation in force (the built-in one until replaced), and its replacement:
   both must be read and set before the library initialises. */
static inline int parley_sqlite3_get_page_cache(sqlite3_pcache_methods2 *methods) {
    return sqlite3_config(SQLITE_CONFIG_GETPCACHE2, methods);
}
static inline int parley_sqlite3_set_page_cache(const sqlite3_pcache_methods2 *methods) {
    return sqlite3_config(SQLITE_CONFIG_PCACHE2, methods);
}
