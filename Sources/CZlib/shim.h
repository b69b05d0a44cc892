#include <zlib.h>

/* deflateInit2/inflateInit2 are macros, so Swift needs real functions.
   windowBits 15 + 16 selects a gzip header and trailer instead of a raw zlib stream. */
static inline int parley_deflate_init_gzip(z_streamp stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
static inline int parley_inflate_init_gzip(z_streamp stream) {
    return inflateInit2(stream, 15 + 16);
}
