/*
 * layout.h - the generations of a single index and the writers' lock
 * (layout.c explains the layout).
 */
#ifndef MEDSEARCH_LAYOUT_H
#define MEDSEARCH_LAYOUT_H

#include <stddef.h>

#include "base/error.h"

/* The most a stub file may hold: thousands of shards' lines. */
#define MS_STUB_MAX (1 << 20)

/* The text of db/XAPIANDB (malloc'd), or NULL when there is none or it
 * cannot be read (read by ms_read_file, at most MS_STUB_MAX bytes). */
char *ms_layout_read_stub(const char *db);

/* N when stub text names one generation ("auto gen-N\n"), else 0. */
unsigned ms_layout_stub_gen(const char *text);

/* The number of "auto shard-N" lines of db/XAPIANDB: 0 when db is no
 * sharded index. */
unsigned ms_layout_shards(const char *db);

/* The path of generation gen of the single index db ("db/gen-N"). */
void ms_layout_gen_path(const char *db, unsigned gen, char *path, size_t cap);

/* The current database of the single index db into path: db/gen-N, and N;
 * db itself, and 0, for an index made before generations; -1 when db holds
 * no single index (nothing yet, or a sharded index). */
int ms_layout_current(const char *db, char *path, size_t cap);

/* Take the writers' lock of db (creating the directory db if needed). With
 * wait, wait for another writer until it ends or *stop is set. Returns 0
 * with *fd to pass to ms_layout_unlock, or -1 with MS_ELOCKED in err. */
int ms_layout_lock(const char *db, int wait, volatile int *stop, int *fd, ms_error *err);
void ms_layout_unlock(int fd);

/* Replace db/XAPIANDB with text: written aside, on disk, then renamed over
 * it, so that a reader reads the old stub or the new one. */
int ms_layout_write_stub(const char *db, const char *text, ms_error *err);

/* Make generation gen the current one (ms_layout_write_stub). */
int ms_layout_publish(const char *db, unsigned gen, ms_error *err);

/* With the lock held: remove every generation but keep (all of them when
 * keep is 0 or less), parts of parallel builds and a half-written stub; with
 * keep > 0, also the files of an index made before generations. */
void ms_layout_clean(const char *db, int keep);

/* One more than the highest generation in db. */
unsigned ms_layout_next_gen(const char *db);

/* What a database path holds, so that no build writes into, or replaces, a
 * directory that is not an index. */
enum {
    MS_DIR_NONE = 0,    /* missing, unreadable, empty, or only a lock and leftovers */
    MS_DIR_XAPIAN = 1,  /* a single index: a Xapian database, or its generations */
    MS_DIR_SHARDED = 2, /* a sharded index: XAPIANDB and shard-N */
    MS_DIR_OTHER = 3    /* other files */
};
int ms_dir_state(const char *path);

#endif
