#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast macro Swift cannot import: ask SQLite to copy bound buffers. */
static inline void parley_sqlite3_bind_text_copy(sqlite3_stmt *s, int i, const char *p, int n) {
    sqlite3_bind_text(s, i, p, n, SQLITE_TRANSIENT);
}
static inline void parley_sqlite3_bind_blob_copy(sqlite3_stmt *s, int i, const void *p, int n) {
    sqlite3_bind_blob(s, i, p, n, SQLITE_TRANSIENT);
}
/* sqlite3_config is variadic, which Swift cannot call. Memory statistics off: with them on (the
   default), every allocation and free of every connection takes one process-wide mutex. */
static inline int parley_sqlite3_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
