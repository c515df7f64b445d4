/*
 * util.h - small helpers private to libmedsearch.
 */
#ifndef MEDSEARCH_UTIL_H
#define MEDSEARCH_UTIL_H

#include <stddef.h>

/* realloc/strdup that abort with a message when memory runs out: used for
 * the small working buffers whose failure leaves nothing sensible to do. */
void *xrealloc(void *p, size_t n);
char *xstrndup(const char *s, size_t n);
char *xstrdup(const char *s);

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
