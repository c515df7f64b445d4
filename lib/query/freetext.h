/*
 * query/freetext.h - a run of plain words read as a question (freetext.c),
 * and the state of a parse that it reads and writes.
 */
#ifndef MEDSEARCH_QUERY_FREETEXT_H
#define MEDSEARCH_QUERY_FREETEXT_H

#include <stddef.h>

#include "analysis/analyze.h"
#include "index/settings.h"
#include "lexicon/lexicon.h"
#include "query/query.h"
#include "query/spelling.h"
#include "xapian/xapian.h"

/* What one parse holds that is not syntax: the parser (parser.c) keeps one,
 * and free text reads and writes it. */
typedef struct ms_qctx {
    const ms_env *env;
    const ms_qopts *opts;
    ms_qinfo *info;
    const char *q0; /* the query as given: items and corrections point into it */
    int natural;    /* read as a natural-language question */
    int literal;    /* parsing a +word or -word: its own forms only, no synonyms */
    ms_tokens toks; /* the words last analyzed */
    ms_entities ents;
    ms_speller spell;
} ms_qctx;

/* Where the words of a free-text run stand in the query: text[foff, foff +
 * n) is q0[qoff, qoff + n). */
typedef struct ms_qpiece {
    size_t foff, qoff, n;
} ms_qpiece;

/* The free-text query of text[0..len), whose words stand in the query where
 * pc says; NULL when there is nothing to search. */
msx_query *ms_free_text(ms_qctx *p, const char *text, size_t len, const ms_qpiece *pc, size_t npc);

#endif
