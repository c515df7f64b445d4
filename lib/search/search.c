/*
 * search/search.c - answering a query: ms_search ties the stages together.
 *
 * A query is parsed against the index (query.c), Xapian ranks passages by
 * BM25, the top is re-ranked (rerank.c), and the passages to show are read
 * from their records, marked (mark.c) and cut into snippets (snippet.c);
 * facets are counted over a list of their own (facets.c). The index may
 * change under the reader at any point: then it is opened again
 * (searcher.c) and the query run again, a few times at most.
 */
#include "search/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "index/index.h"
#include "search/facets.h"
#include "search/mark.h"
#include "search/narrow.h"
#include "search/rerank.h"
#include "search/searcher.h"
#include "search/snippet.h"

void ms_results_free(ms_results *r)
{
    for (size_t i = 0; i < r->n; i++) {
        ms_rec_free(&r->hits[i].rec);
        free(r->hits[i].snippet);
        free(r->hits[i].hl);
        free(r->hits[i].explain);
    }
    free(r->explain_query);
    free(r->hits);
    free(r->facets);
    ms_qinfo_free(&r->info);
    memset(r, 0, sizeof *r);
}

static int by_mset_index(const void *a, const void *b)
{
    const ms_ranked *x = a, *y = b;
    return x->i < y->i ? -1 : x->i > y->i;
}

static int run(ms_searcher *s, const msx_query *q, const ms_search_opts *o, ms_results *r,
               ms_error *err)
{
    msx_enquire *enq = NULL;
    msx_mset *m = NULL, *fm = NULL;
    msx_error xe;
    msx_status st = msx_enquire_new(s->db, &enq, &xe);
    if (st == MSX_OK)
        st = msx_enquire_set_query(enq, q, &xe);
    if (st == MSX_OK)
        st = msx_enquire_set_bm25(enq, o->k1, 0, 1, o->b, 0.5, &xe);
    if (st == MSX_OK && o->per_article)
        st = msx_enquire_set_collapse(enq, MS_SLOT_ARTICLE, o->per_article, &xe);
    /* Xapian ranks a deeper list, whose top is re-ranked below (rerank.c)
     * by title coverage. Matches of equal weight are ranked by article id
     * (and within an article by document id, which follows the passages'
     * order in a single index and in a shard alike), so that which are
     * re-ranked depends neither on how the index is sharded nor on how
     * many results are asked for. */
    if (st == MSX_OK)
        st = o->sort_date ? msx_enquire_set_sort_by_value_desc(enq, MS_SLOT_DATE, &xe)
                          : msx_enquire_set_ties_by_value(enq, MS_SLOT_ARTICLE, &xe);
    if (st == MSX_OK && o->facet_depth)
        st = msx_enquire_get_mset(enq, 0, o->facet_depth, 0, &fm, &xe);
    /* The list shows each section once (its best passage): when dropping
       the other passages of shown sections leaves too few, Xapian ranks a
       deeper list. The re-ranked top is the same whatever the depth, so
       the list is too, and pages stay slices of it. */
    unsigned want = o->offset + o->limit, n = 0;
    ms_ranked *rk = NULL;
    int modified = 0, rc = 0;
    for (unsigned depth = ms_rerank_depth(want); st == MSX_OK; depth *= 2) {
        msx_mset_free(m);
        m = NULL;
        unsigned check = o->count_at_least > depth ? o->count_at_least : depth;
        st = msx_enquire_get_mset(enq, 0, depth, check, &m, &xe);
        if (st != MSX_OK)
            break;
        n = msx_mset_size(m);
        rk = ms_xrealloc(rk, (n + 1) * sizeof *rk);
        rc = ms_rerank(m, &s->env, &r->info, &s->scratch, s->path, rk, &modified, err);
        if (rc == 0 && o->sort_date) /* Xapian's order, by date: scores are not an order here */
            qsort(rk, n, sizeof *rk, by_mset_index);
        int kept = rc == 0 ? ms_rerank_distinct(m, rk, n, want, s->path, &modified, err) : -1;
        if (kept < 0) {
            rc = -1;
            n = 0; /* (what was scored is not used) */
            break;
        }
        if ((unsigned)kept == want || n < depth) {
            n = (unsigned)kept;
            break;
        }
    }
    if (st != MSX_OK) {
        free(rk);
        msx_enquire_free(enq);
        msx_mset_free(m);
        msx_mset_free(fm);
        if (ms_searcher_may_pass(st)) {
            /* open again and retry: the index changed under us, or was
               switched to a new generation (this error stays if it is
               really damaged) */
            ms_searcher_fail(err, s->path, &xe);
            return 1;
        }
        return ms_searcher_fail(err, s->path, &xe);
    }
    r->estimated = msx_mset_estimated(m);
    r->exact = msx_mset_exact(m);
    /* The passages to show, and the top few, are read and marked; the
       top few are then re-ordered by how close together the
       query's words are (always the same top, so pages stay consistent). */
    unsigned shown = o->offset + o->limit < n ? o->offset + o->limit : n;
    unsigned top = ms_rerank_prox_depth(n);
    unsigned upto = shown > top ? shown : top;
    ms_hit *hs = ms_xrealloc(NULL, (upto + 1) * sizeof *hs);
    memset(hs, 0, (upto + 1) * sizeof *hs);
    unsigned *order = ms_ranked_by_docid(m, rk, upto);
    for (unsigned oj = 0; oj < upto && rc == 0; oj++) {
        unsigned j = order[oj];
        if (j >= top && j < o->offset)
            continue;
        ms_hit *h = &hs[j];
        if (ms_searcher_load_rec(m, rk[j].i, s->path, &h->rec, &modified, err) < 0) {
            rc = -1;
            break;
        }
        const char *text = h->rec.text;
        size_t len = h->rec.text_len;
        ms_mark(&s->env, &r->info, &h->rec, text, len, &s->scratch);
        if (j < top)
            ms_rerank_proximity(&s->env, &r->info, &s->scratch, &rk[j]);
        if (j >= o->offset)
            ms_snippet_marked(&s->scratch, text, len, o->snippet_words, h);
        if (o->explain)
            h->explain = ms_rerank_explain(enq, msx_mset_docid(m, rk[j].i), &rk[j]);
        h->score = rk[j].score;
    }
    free(order);
    /* (by date, the top stays in date order) */
    int prox_order = rc == 0 && top > 1 && !o->sort_date;
    if (prox_order) {
        /* hs follows rk: sort both by the index into hs */
        for (unsigned j = 0; j < top; j++)
            rk[j].i = j;
        qsort(rk, top, sizeof *rk, ms_ranked_cmp);
    }
    r->hits = ms_xrealloc(NULL, (o->limit + 1) * sizeof *r->hits);
    for (unsigned j = 0; j < upto; j++) {
        ms_hit *h = &hs[j < top && prox_order ? rk[j].i : j];
        if (rc == 0 && j >= o->offset && j < shown) {
            r->hits[r->n] = *h;
            r->hits[r->n++].rank = j + 1;
            memset(h, 0, sizeof *h);
        }
    }
    for (unsigned j = 0; j < upto; j++) {
        ms_rec_free(&hs[j].rec);
        free(hs[j].snippet);
        free(hs[j].hl);
        free(hs[j].explain);
    }
    free(hs);
    free(rk);
    if (rc == 0 && fm)
        ms_facets_count(r, fm, s->path, o->facet_kinds, err);
    msx_mset_free(fm);
    msx_mset_free(m);
    msx_enquire_free(enq);
    return rc < 0 && modified ? 1 : rc;
}

/* *q narrowed by o's filter (narrow.c), in place: 0, 1 when the index
 * changed under the reader (to be read again), -1 on error. */
static int narrow(ms_searcher *s, const ms_search_opts *o, msx_query **q, ms_error *err)
{
    msx_query *f = NULL;
    int rc = ms_narrow_query(s->db, s->path, o, &f, err);
    if (rc != 0 || !f)
        return rc;
    msx_query *sub[2] = {*q, f}, *both = NULL;
    msx_error xe;
    msx_status st = msx_query_combine(MSX_OP_FILTER, sub, 2, 0, &both, &xe);
    msx_query_free(f);
    if (st != MSX_OK)
        return ms_fail(err, MS_ENOMEM, "out of memory");
    msx_query_free(*q);
    *q = both;
    return 0;
}

int ms_search(ms_searcher *s, const char *query, const ms_search_opts *o, ms_results *r,
              ms_error *err)
{
    ms_qopts qo = o->q;
    qo.words = s->words;
    if (s->gave_up.code != MS_OK) { /* no more waiting for a shard that timed out */
        memset(r, 0, sizeof *r);
        if (err)
            *err = s->gave_up;
        return -1;
    }
    /* The index may change under the reader (a commit, a switch to a new
     * generation): then it is opened again, and the query read and run
     * again, against the index as it is now. A remote shard that stops
     * answering costs one timeout: with allow_partial it is left out from
     * then on (the index opened again without it), else every later search
     * fails at once, naming it. */
    if (!s->db && ms_searcher_reattach(s, err) < 0) { /* the last reopening failed */
        memset(r, 0, sizeof *r);
        return -1;
    }
    for (int attempt = 0;; attempt++) {
        memset(r, 0, sizeof *r);
        msx_query *q = NULL;
        int rc = ms_query_parse(&s->env, s->db, query, &qo, &q, &r->info, err);
        if (rc == 0 && q)
            rc = narrow(s, o, &q, err);
        if (rc == 0 && q) {
            if (o->explain)
                r->explain_query = msx_query_describe(q);
            rc = run(s, q, o, r, err);
            msx_query_free(q);
        } else {
            msx_query_free(q); /* (when narrowing it failed) */
            if (rc < 0 && err && err->code == MS_ECHANGED)
                rc = 1;
        }
        if (rc < 0 && err && err->code == MS_ESHARD && attempt == 0) {
            if (!s->allow_partial) {
                s->gave_up = *err;
                size_t l = strlen(s->gave_up.msg);
                snprintf(s->gave_up.msg + l, sizeof s->gave_up.msg - l,
                         " (given up for the rest of the run)");
                return -1;
            }
            rc = 1; /* open again, leaving out what does not answer */
        }
        if (rc != 1)
            return rc;
        ms_results_free(r);
        if (attempt >= 5)
            return -1; /* with the last message */
        if (ms_searcher_reattach(s, err) < 0)
            return -1;
    }
}
