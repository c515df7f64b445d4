/*
 * search/show.c - an article as it was indexed, from the index alone
 * (medquery --show): the passages of one file, in the order they come in
 * it, read from their records as results are, so that what is shown is
 * what a search finds (chrome and boilerplate already removed), with
 * where each passage lies in the file.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "index/document.h"
#include "index/index.h"
#include "search/searcher.h"

static int cmp_start(const void *a, const void *b)
{
    const ms_hit *x = a, *y = b;
    return x->rec.start < y->rec.start ? -1 : x->rec.start > y->rec.start;
}

/* h's snippet: its whole text, white space folded to single spaces, or to
 * a line break where it holds one (list items). */
static void whole_text(ms_hit *h)
{
    const char *t = h->rec.text;
    char *out = ms_xrealloc(NULL, h->rec.text_len + 1);
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; i < h->rec.text_len; i++) {
        char c = t[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = space == 2 || c == '\n' ? 2 : 1;
            continue;
        }
        if (space && o > 0)
            out[o++] = space == 2 ? '\n' : ' ';
        space = 0;
        out[o++] = c;
    }
    out[o] = '\0';
    h->snippet = out;
    h->snippet_len = o;
}

/* Every passage of path into r, in file order; 1 when the index changed
 * under the reader (read again), -1 on error. */
static int read_passages(ms_searcher *s, const char *path, ms_results *r, ms_error *err)
{
    char term[300];
    size_t tl = ms_path_term(path, term, sizeof term);
    msx_query *q = msx_query_term(term, tl, 1, 0);
    msx_enquire *enq = NULL;
    msx_mset *m = NULL;
    msx_error xe;
    if (!q)
        return ms_fail(err, MS_ENOMEM, "out of memory");
    unsigned docs = 0;
    msx_status st = msx_db_doccount(s->db, &docs, &xe);
    if (st == MSX_OK)
        st = msx_enquire_new(s->db, &enq, &xe);
    if (st == MSX_OK)
        st = msx_enquire_set_query(enq, q, &xe);
    if (st == MSX_OK) /* (a file's passages, however many) */
        st = msx_enquire_get_mset(enq, 0, docs, 0, &m, &xe);
    msx_query_free(q);
    msx_enquire_free(enq);
    if (st != MSX_OK) {
        int again = ms_searcher_may_pass(st);
        ms_searcher_fail(err, s->path, &xe);
        return again ? 1 : -1;
    }
    unsigned n = msx_mset_size(m);
    r->hits = ms_xrealloc(NULL, (n + 1) * sizeof *r->hits);
    memset(r->hits, 0, (n + 1) * sizeof *r->hits);
    int modified = 0, rc = 0;
    for (unsigned i = 0; i < n && rc == 0; i++) {
        rc = ms_searcher_load_rec(m, i, s->path, &r->hits[i].rec, &modified, err);
        r->n += rc == 0;
    }
    msx_mset_free(m);
    if (rc < 0)
        return modified ? 1 : -1;
    qsort(r->hits, r->n, sizeof *r->hits, cmp_start);
    return 0;
}

int ms_show(ms_searcher *s, const char *path, long long line, unsigned nth, ms_results *r,
            ms_error *err)
{
    for (int attempt = 0;; attempt++) {
        memset(r, 0, sizeof *r);
        int rc = s->db ? read_passages(s, path, r, err) : 1;
        if (rc == 0)
            break;
        ms_results_free(r);
        if (rc < 0 || attempt >= 5 || ms_searcher_reattach(s, err) < 0)
            return -1;
    }
    /* the passage asked for: the one holding the line (the last that
       starts at or before it), or the nth */
    size_t keep = r->n;
    if (line > 0)
        for (size_t i = 0; i < r->n && r->hits[i].rec.line <= line; i++)
            keep = i;
    else if (nth > 0 && nth <= r->n)
        keep = nth - 1;
    for (size_t i = 0; i < r->n; i++) {
        r->hits[i].rank = (unsigned)i + 1; /* the passage's number in the article */
        if ((line > 0 || nth > 0) && i != keep)
            ms_rec_free(&r->hits[i].rec);
    }
    if ((line > 0 || nth > 0) && keep < r->n) {
        r->hits[0] = r->hits[keep];
        r->n = 1;
    } else if (line > 0 || nth > 0) {
        r->n = 0;
    }
    for (size_t i = 0; i < r->n; i++)
        whole_text(&r->hits[i]);
    r->estimated = (unsigned)r->n;
    r->exact = 1;
    return 0;
}
