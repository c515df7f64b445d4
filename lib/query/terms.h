/*
 * query/terms.h - Xapian queries built from terms and lists (terms.c).
 */
#ifndef MEDSEARCH_QUERY_TERMS_H
#define MEDSEARCH_QUERY_TERMS_H

#include <stddef.h>

#include "medsearch.h"
#include "xapian/xapian.h"

/* A list of queries to combine with one operator. */
typedef struct ms_qlist {
    msx_query **v;
    size_t n, cap;
} ms_qlist;

/* Add q to l (taking it); a NULL or empty query is dropped. */
void ms_qlist_add(ms_qlist *l, msx_query *q);

/* Combine and free the list's queries; NULL when the list is empty. */
msx_query *ms_qlist_combine(ms_qlist *l, msx_op op, unsigned window);

/* a op b, taking both; either may be NULL (the other is returned). */
msx_query *ms_qbinary(msx_op op, msx_query *a, msx_query *b);

/* q with its weight times f, taking q; NULL for NULL. */
msx_query *ms_qscaled(msx_query *q, double f);

/* The query term prefix + t[0..n), at query position pos (0: none). */
msx_query *ms_qterm(const char *prefix, const char *t, size_t n, unsigned pos);

/* Token k (its folded term w) as the index has it in the languages of an
 * from the from-th on (0: all; the terms of the others are left out):
 * by its stem with prefix pre where the language stems it, as written with
 * prefix raw where it does not (ms_token_stemmed_in), at query position
 * pos: one term when the languages agree, else their OR (NULL when the
 * languages from the from-th on add no other term). The stems are
 * added to *stems, for highlighting. */
msx_query *ms_qword(ms_analyzer *an, int from, const ms_token *k, const char *w, const char *pre,
                    const char *raw, unsigned pos, char ***stems, size_t *n_stems);

#endif
