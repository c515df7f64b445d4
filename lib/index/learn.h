/*
 * learn.h - the site boilerplate of a run, counted from the index's records
 * and the files that changed, and the files it obliges to cut again
 * (learn.c).
 */
#ifndef MEDSEARCH_INDEX_LEARN_H
#define MEDSEARCH_INDEX_LEARN_H

#include "article/boilerplate.h"
#include "index/walk.h"
#include "xapian/xapian.h"

/* What ms_learn() found of file i of the walk (w->v[i]). */
enum { MS_LEARN_READ = 1, MS_LEARN_STALE = 2 };

typedef struct ms_learned {
    ms_boilerplate *bp; /* the table of the whole corpus as it is now */
    ms_bp_keys *keys;   /* per file: its line keys, when MS_LEARN_READ */
    unsigned char *state;
} ms_learned;

/* Count the boilerplate of the corpus of w: the files of this shard that
 * are unchanged (!changed[i]) from their K: records, the others (and the
 * files of other shards) by reading them; then mark MS_LEARN_STALE every
 * unchanged file whose record says its cut asked the table a question
 * that it now answers otherwise (or that has no record). With db NULL, or
 * no file unchanged, only the reading. Stops early when *o->stop is set.
 * -1 when out of memory. */
int ms_learn(const ms_index_opts *o, const walk *w, msx_wdb *db, const unsigned char *changed,
             ms_learned *out, ms_error *err);
void ms_learned_free(ms_learned *l, size_t n);

/* Write the K: record of rel: the keys of its lines (learned) and the
 * questions its parse asked with their answers (asked, may be NULL).
 * Errors name the index as name. */
int ms_krec_put(msx_wdb *db, const char *name, const char *rel, const ms_bp_keys *learned,
                const ms_bp_keys *asked, ms_error *err);
/* Remove the K: record of rel (a file not counted: unreadable, gone). */
int ms_krec_del(msx_wdb *db, const char *rel);
/* Whether rel must be cut again under bp: it has no K: record, or one of
 * the answers recorded there is no longer bp's. */
int ms_krec_stale(msx_wdb *db, const char *rel, const ms_boilerplate *bp);

#endif
