/*
 * api/medsearch.c - the installed API (include/medsearch.h) over the
 * library's own stages.
 *
 * The stages' headers are internal: their structs carry working state and
 * change as the code does. This file is the one place that turns the small,
 * stable surface of medsearch.h into their calls: public options into
 * internal ones (with medquery's defaults), and internal results into the
 * opaque ms_hits read through accessors. The analyzer's calls need no
 * wrapper: medsearch.h declares them, and lib/analysis defines them.
 */
#include <stdlib.h>
#include <string.h>

#include "index/index.h"
#include "medsearch.h"
#include "search/search.h"

struct ms_db {
    ms_searcher *searcher;
};

struct ms_hits {
    ms_results r;
};

const char *ms_version(void)
{
    return MEDSEARCH_VERSION;
}

int ms_index_update(const char *db_path, const char *corpus_dir, const ms_index_options *opts,
                    ms_index_summary *summary, ms_error *err)
{
    ms_index_options none = {0};
    if (!opts)
        opts = &none;
    if (!db_path || !corpus_dir)
        return ms_fail(err, MS_EUSAGE, "no index or corpus named");
    ms_index_opts io = {0};
    io.db_path = db_path;
    io.corpus = corpus_dir;
    io.lexicon_dir = opts->lexicon_dir;
    io.language = opts->language;
    io.rebuild = opts->rebuild;
    ms_index_stats st;
    memset(&st, 0, sizeof st);
    if (ms_index_build(&io, opts->jobs ? opts->jobs : 1, &st, err) != 0)
        return -1;
    if (summary) {
        summary->files_indexed = st.files_indexed;
        summary->files_unchanged = st.files_unchanged;
        summary->files_removed = st.files_removed;
        summary->files_failed = st.files_failed + st.files_failed_kept;
        summary->passages_added = st.passages_added;
        summary->passages_removed = st.passages_removed;
    }
    return 0;
}

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
