/*
 * search/mark.h - which tokens of a text the query matched.
 *
 * Highlighting in snippets and the re-ranker's title, heading and proximity
 * scores all start from the same marking of a text: its tokens, each with
 * the id of the query form it matched.
 */
#ifndef MEDSEARCH_SEARCH_MARK_H
#define MEDSEARCH_SEARCH_MARK_H

#include <stddef.h>

#include "analysis/analyze.h"
#include "index/record.h"
#include "index/settings.h"
#include "lexicon/lexicon.h"
#include "query/query.h"

/* The tokens of a text with, for each primary token, a match id: 0 when it
 * matches no query form, else an id shared by the tokens of one matched form
 * (a word, or a whole entity mention). */
typedef struct ms_marked {
    ms_tokens t;
    ms_entities ents;
    size_t *prim; /* indices of the primary tokens in t */
    int *match;
    size_t np, cap;
} ms_marked;

/* Mark text into mk (its buffers reused): each token's match id. The
 * entities are those of the passage record rec, or with rec NULL those the
 * lexicon finds. */
void ms_mark(const ms_env *env, const ms_qinfo *info, const ms_rec *rec, const char *text,
             size_t len, ms_marked *mk);

/* Free mk's buffers (and zero it). */
void ms_unmark(ms_marked *mk);

#endif
