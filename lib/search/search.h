/*
 * medsearch/search.h - running a query: ranked passages, snippets, facets.
 *
 * A searcher opens an index (a database directory or a stub file listing
 * shards, local or remote), checks that it was built with the settings and
 * lexicon at hand, and answers queries with BM25 over passages, at most N
 * passages per article. Snippets are cut from the stored passage text with
 * the analyzer's byte offsets, so every matched form is highlighted exactly:
 * stems, phrase words, and the synonyms and brands of recognised entities.
 */
#ifndef MEDSEARCH_SEARCH_H
#define MEDSEARCH_SEARCH_H

#include <stddef.h>

#include "base/error.h"
#include "index/record.h"
#include "index/settings.h"
#include "query/query.h"

/* The kinds of entity that facets count (ms_entkind_name's names), space-
 * separated: the choices of medquery --facets. */
#define MS_FACET_KINDS "drug symptom condition"

/* A snippet_words that makes the snippet the whole passage (medquery --full). */
#define MS_SNIPPET_WHOLE 0xffffffffu

typedef struct ms_search_opts {
    unsigned limit;         /* results to return */
    unsigned offset;        /* results to skip */
    unsigned per_article;   /* at most this many passages per article (0: no limit) */
    unsigned snippet_words; /* snippet length in words (MS_SNIPPET_WHOLE: the whole passage) */
    double k1, b;           /* BM25 parameters */
    ms_qopts q;
    unsigned facet_depth;     /* count entities over this many top matches (0: no facets) */
    const char *facet_kinds;  /* comma-separated kinds to count (NULL: all) */
    int explain;              /* fill the explain fields */
    unsigned count_at_least;  /* count the matches exactly up to this many (at least the
                                 passages ranked) */
    const char *const *paths; /* keep the files matching one of these globs (fnmatch, or a
                                 folder above them), n_paths of them; 0: all */
    size_t n_paths;
    const char *since, *until; /* keep the articles dated in this range (ISO 8601: YYYY,
                                  YYYY-MM or YYYY-MM-DD, inclusive; NULL: open) */
    int undated;               /* with a range, keep the articles without a date too */
    int sort_date;             /* rank by date, newest first, undated last; then by score */
} ms_search_opts;

/* Defaults chosen on the dev set (see bench/relevance). */
void ms_search_opts_default(ms_search_opts *o);

typedef struct ms_range {
    size_t start, end;
} ms_range;

typedef struct ms_hit {
    unsigned rank; /* 1-based, counting the offset */
    double score;
    ms_rec rec; /* path, article, title, section, where in the file, entities, text */
    char *snippet;
    size_t snippet_len;
    ms_range *hl; /* highlighted byte ranges of the snippet */
    size_t n_hl;
    char *explain; /* with opts.explain: the query terms this passage matched */
} ms_hit;

typedef struct ms_facet {
    ms_entkind kind;
    char name[96];
    unsigned count;
} ms_facet;

typedef struct ms_results {
    ms_hit *hits;
    size_t n;
    unsigned estimated; /* estimated number of matching passages */
    int exact;          /* estimated is the exact number */
    ms_qinfo info;
    ms_facet *facets; /* most frequent first */
    size_t n_facets;
    char *explain_query; /* with opts.explain: Xapian's description of the query */
} ms_results;

typedef struct ms_searcher ms_searcher;

/* Open the index at path: a database, or a stub (a file, or a directory
 * holding XAPIANDB) listing shards as "auto PATH" or "remote HOST:PORT"
 * lines. The lexicon comes from eo (language and accent settings come from
 * the index itself), and every shard must have been built with the same
 * settings. A shard that cannot be opened fails the open, naming it, unless
 * allow_partial is set: then it is left out (see ms_searcher_missing). */
ms_searcher *ms_searcher_open(const char *path, const ms_env_opts *eo, int allow_partial,
                              ms_error *err);
/* The shards left out, comma-separated, or NULL when none. */
const char *ms_searcher_missing(const ms_searcher *s);
void ms_searcher_free(ms_searcher *s);

int ms_search(ms_searcher *s, const char *query, const ms_search_opts *o, ms_results *out,
              ms_error *err);
void ms_results_free(ms_results *r);

/* The passages of the file at path (relative to the corpus folder), as
 * indexed, in file order, into out as results: rank is a passage's number
 * in the article, its snippet its whole text (white space folded), score
 * 0. With line > 0 only the passage holding that line of the file, with
 * nth > 0 only the nth passage. None (out->n 0) when the index has no
 * such file or passage. Returns 0, or -1 with err. */
int ms_show(ms_searcher *s, const char *path, long long line, unsigned nth, ms_results *out,
            ms_error *err);

/* The snippet of text for the query described by info, cut as ms_search
 * cuts its snippets (exposed for tests and the fuzzer). */
void ms_snippet(const ms_env *env, const ms_qinfo *info, const char *text, size_t len,
                unsigned words, ms_hit *hit);

#endif
