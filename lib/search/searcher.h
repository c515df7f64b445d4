/*
 * search/searcher.h - an open index, and reading it while it may change.
 * The searcher itself is here, not in medsearch/search.h, where it is an
 * opaque handle: search.c reads its database, analyzer and scratch marks.
 */
#ifndef MEDSEARCH_SEARCH_SEARCHER_H
#define MEDSEARCH_SEARCH_SEARCHER_H

#include "search/mark.h"
#include "search/search.h"
#include "xapian/xapian.h"

struct ms_searcher {
    char *path;
    msx_db *db;
    ms_env env;
    char *missing;         /* shards left out with allow_partial, or NULL */
    ms_marked scratch;     /* reused by the re-ranker */
    ms_spell_words *words; /* spelling candidates listed so far */
    int allow_partial;     /* leave out the shards that cannot be opened */
    ms_error gave_up;      /* a shard stopped answering: every later search fails so */
};

/* Open s's index again, at its latest commit or generation. */
int ms_searcher_reattach(ms_searcher *s, ms_error *err);

/* Whether an error reading the index can come from a writer at work, so
 * that opening the index again and retrying may succeed. */
int ms_searcher_may_pass(msx_status st);

/* Fail with what Xapian said of the index at path (returns -1). */
int ms_searcher_fail(ms_error *err, const char *path, const msx_error *xe);

/* The passage record of item i of m into *rec; -1 on failure, with
 * *modified set when the index changed under the reader. */
int ms_searcher_load_rec(const msx_mset *m, unsigned i, const char *path, ms_rec *rec,
                         int *modified, ms_error *err);

#endif
