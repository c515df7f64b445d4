/*
 * search/rerank.h - re-ranking Xapian's top matches by title and heading
 * coverage, heading fit and proximity; the ranked list that ms_search
 * reads its passages from.
 */
#ifndef MEDSEARCH_SEARCH_RERANK_H
#define MEDSEARCH_SEARCH_RERANK_H

#include <stdint.h>

#include "search/mark.h"
#include "search/search.h"
#include "xapian/xapian.h"

/* A match with its re-ranked score. */
typedef struct ms_ranked {
    unsigned i; /* index in the mset */
    double score;
    double bm25, title, section, heading, prox; /* what made the score (--explain) */
    uint64_t key; /* its section: a hash of article and heading (0: not read yet) */
} ms_ranked;

/* How many matches Xapian must rank for the first wanted ones: at least
 * the re-ranked top. */
unsigned ms_rerank_depth(unsigned wanted);

/* Score the matches of m into rk (room for all of them) and sort it, best
 * first: the re-ranked top by title and heading, the rest by BM25. Returns
 * 0, or -1 when the index could not be read (path names it; *modified is
 * set when it changed under the reader). */
int ms_rerank(const msx_mset *m, const ms_env *env, const ms_qinfo *info, ms_marked *scratch,
              const char *path, ms_ranked *rk, int *modified, ms_error *err);

/* Keep the first (best) passage of each section among the n ranked matches
 * rk, in order, until want are kept: a long section cut into several
 * passages is shown once. Returns how many were kept (rk[0..kept) is the
 * list), or -1 when the index could not be read (as ms_rerank). */
int ms_rerank_distinct(const msx_mset *m, ms_ranked *rk, unsigned n, unsigned want,
                       const char *path, int *modified, ms_error *err);

/* How many of n ranked matches proximity re-orders (the top). */
unsigned ms_rerank_prox_depth(unsigned n);

/* Raise rk's score by the proximity of the query's words in its passage,
 * marked in mk. */
void ms_rerank_proximity(const ms_env *env, const ms_qinfo *info, const ms_marked *mk,
                         ms_ranked *rk);

/* qsort order of ms_ranked: best score first, then by index. */
int ms_ranked_cmp(const void *a, const void *b);

/* The numbers 0..n-1 in the order of the docids of the mset items they
 * stand for: rk[i].i, or i itself when rk is NULL (malloc'd). */
unsigned *ms_ranked_by_docid(const msx_mset *m, const ms_ranked *rk, unsigned n);

/* For --explain: the query terms that docid matched, and what made its
 * score (malloc'd). */
char *ms_rerank_explain(const msx_enquire *enq, msx_docid docid, const ms_ranked *rk);

#endif
