/*
 * util.h - small helpers private to libmedsearch.
 */
#ifndef MEDSEARCH_UTIL_H
#define MEDSEARCH_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* realloc/strdup that abort with a message when memory runs out: used for
 * the small working buffers whose failure leaves nothing sensible to do. */
void *xrealloc(void *p, size_t n);
char *xstrndup(const char *s, size_t n);
char *xstrdup(const char *s);

/* FNV-1a of s[0..n), going on from h (MS_FNV_BASIS to start afresh): the
 * byte-by-byte value, four bytes a round of the loop. It hashes every file
 * the indexer reads and every line it weighs as boilerplate; inline, so
 * that those loops keep it in registers. */
#define MS_FNV_BASIS 0xcbf29ce484222325ull
static inline uint64_t ms_fnv1a(uint64_t h, const char *s, size_t n)
{
    const uint64_t prime = 0x100000001b3ull;
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        h = (h ^ u[i]) * prime;
        h = (h ^ u[i + 1]) * prime;
        h = (h ^ u[i + 2]) * prime;
        h = (h ^ u[i + 3]) * prime;
    }
    for (; i < n; i++)
        h = (h ^ u[i]) * prime;
    return h;
}

/* The byte b in each of the eight bytes of a 64-bit word: for the loops
 * that test eight bytes of text at a time. */
#define MS_BYTES8(b) (0x0101010101010101ull * (b))

/* Seconds on the monotonic clock, for measuring runs. */
double ms_now(void);

/* What a database path holds, so that no build writes into, or replaces, a
 * directory that is not an index. */
enum {
    MS_DIR_NONE = 0,    /* missing, unreadable or empty */
    MS_DIR_XAPIAN = 1,  /* a Xapian database (or one being created) */
    MS_DIR_SHARDED = 2, /* a sharded index: XAPIANDB and shard-N */
    MS_DIR_OTHER = 3    /* other files */
};
int ms_dir_state(const char *path);

#endif
