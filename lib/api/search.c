/*
 * api/search.c - the searching half of the installed API (medsearch.h).
 *
 * The stages' headers are internal: their structs carry working state and
 * change as the code does. lib/api/ is where the small, stable surface of
 * medsearch.h turns into their calls: here public search options into
 * internal ones (with medquery's defaults), and internal results into the
 * opaque ms_hits read through accessors. Indexing is api/index.c, apart, so
 * that a program that only searches links no article parser; the
 * analyzer's calls need no wrapper (lib/analysis defines them).
 */
#include <stdlib.h>
#include <string.h>

#include "medsearch.h"
#include "search/search.h"

struct ms_db {
    ms_searcher *searcher;
};

struct ms_hits {
    ms_results r;
};

ms_db *ms_db_open(const char *path, const char *lexicon_dir, ms_error *err)
{
    ms_env_opts eo = {0};
    eo.lexicon_dir = lexicon_dir;
    ms_db *db = calloc(1, sizeof *db);
    if (!db) {
        ms_fail(err, MS_ENOMEM, "out of memory");
        return NULL;
    }
    db->searcher = ms_searcher_open(path, &eo, 0, err);
    if (!db->searcher) {
        free(db);
        return NULL;
    }
    return db;
}

void ms_db_close(ms_db *db)
{
    if (!db)
        return;
    ms_searcher_free(db->searcher);
    free(db);
}

void ms_search_options_init(ms_search_options *o)
{
    ms_search_opts d;
    ms_search_opts_default(&d);
    memset(o, 0, sizeof *o);
    o->limit = d.limit;
    o->offset = d.offset;
    o->per_article = d.per_article;
    o->snippet_words = d.snippet_words;
}

ms_hits *ms_db_search(ms_db *db, const char *query, const ms_search_options *opts, ms_error *err)
{
    ms_search_opts so;
    ms_search_opts_default(&so);
    if (opts) {
        so.limit = opts->limit;
        so.offset = opts->offset;
        so.per_article = opts->per_article;
        so.snippet_words = opts->snippet_words;
        so.q.expand = !opts->no_expand;
        so.q.spelling = !opts->no_spelling;
    }
    ms_hits *h = calloc(1, sizeof *h);
    if (!h) {
        ms_fail(err, MS_ENOMEM, "out of memory");
        return NULL;
    }
    if (ms_search(db->searcher, query ? query : "", &so, &h->r, err) != 0) {
        free(h);
        return NULL;
    }
    return h;
}

size_t ms_hits_count(const ms_hits *h)
{
    return h->r.n;
}

size_t ms_hits_estimated(const ms_hits *h)
{
    return h->r.estimated;
}

const char *ms_hits_corrected(const ms_hits *h)
{
    return h->r.info.did_you_mean;
}

const char *ms_hits_path(const ms_hits *h, size_t i)
{
    return h->r.hits[i].rec.path;
}

const char *ms_hits_title(const ms_hits *h, size_t i)
{
    return h->r.hits[i].rec.title;
}

const char *ms_hits_section(const ms_hits *h, size_t i)
{
    return h->r.hits[i].rec.section;
}

double ms_hits_score(const ms_hits *h, size_t i)
{
    return h->r.hits[i].score;
}

void ms_hits_span(const ms_hits *h, size_t i, size_t *start, size_t *end)
{
    *start = (size_t)h->r.hits[i].rec.start;
    *end = (size_t)h->r.hits[i].rec.end;
}

const char *ms_hits_snippet(const ms_hits *h, size_t i, size_t *len)
{
    if (len)
        *len = h->r.hits[i].snippet_len;
    return h->r.hits[i].snippet;
}

void ms_hits_free(ms_hits *h)
{
    if (!h)
        return;
    ms_results_free(&h->r);
    free(h);
}
