#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast macro Swift cannot import: ask SQLite to copy bound buffers. */
static inline void parley_sqlite3_bind_text_copy(sqlite3_stmt *s, int i, const char *p, int n) {
    sqlite3_bind_text(s, i, p, n, SQLITE_TRANSIENT);
}
static inline void parley_sqlite3_bind_blob_copy(sqlite3_stmt *s, int i, const void *p, int n) {
    sqlite3_bind_blob(s, i, p, n, SQLITE_TRANSIENT);
}
