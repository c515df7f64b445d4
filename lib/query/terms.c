/*
 * terms.c - the small helpers every part of the parser builds its Xapian
 * query with.
 *
 * A part gathers its sub-queries in a list and combines them once, with
 * one operator: empty parts drop out on the way, and a list of one is that
 * one query (except for a phrase or NEAR, whose operator means something
 * even over a single term). Every helper takes ownership of the queries it
 * is given, so that a parse frees each query exactly once.
 */
#include "query/terms.h"
#include "analysis/analyze.h"
#include "base/util.h"
#include "query/info.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void ms_qlist_add(ms_qlist *l, msx_query *q)
{
    if (!q)
        return;
    if (msx_query_empty(q)) {
        msx_query_free(q);
        return;
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = ms_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = q;
}

/* Combine and free the list's queries; NULL when the list is empty. */
msx_query *ms_qlist_combine(ms_qlist *l, msx_op op, unsigned window)
{
    msx_query *out = NULL;
    if (l->n == 1 && op != MSX_OP_PHRASE && op != MSX_OP_NEAR) {
        out = l->v[0];
    } else if (l->n > 0) {
        if (msx_query_combine(op, l->v, l->n, window, &out, NULL) != MSX_OK)
            out = NULL;
        for (size_t i = 0; i < l->n; i++)
            msx_query_free(l->v[i]);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
    return out;
}

msx_query *ms_qbinary(msx_op op, msx_query *a, msx_query *b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    ms_qlist l = {0};
    ms_qlist_add(&l, a);
    ms_qlist_add(&l, b);
    return ms_qlist_combine(&l, op, 0);
}

msx_query *ms_qscaled(msx_query *q, double f)
{
    if (!q)
        return NULL;
    msx_query *s = NULL;
    msx_query_scale(q, f, &s, NULL);
    msx_query_free(q);
    return s;
}

/* The query term prefix + t[0..n), at query position pos (0: none). A term
 * too long for the index is searched whole (and found nowhere), never cut
 * to a shorter term that might exist. */
msx_query *ms_qterm(const char *prefix, const char *t, size_t n, unsigned pos)
{
    char buf[MS_TERM_MAX * 2 + 16];
    size_t pl = strlen(prefix);
    char *p = pl + n < sizeof buf ? buf : ms_xrealloc(NULL, pl + n);
    memcpy(p, prefix, pl);
    memcpy(p + pl, t, n);
    msx_query *q = msx_query_term(p, pl + n, 1, pos);
    if (p != buf)
        free(p);
    return q;
}

msx_query *ms_qword(ms_analyzer *an, int from, const ms_token *k, const char *w, const char *pre,
                    const char *raw, unsigned pos, char ***stems, size_t *n_stems)
{
    ms_qlist l = {0};
    char seen[MS_LANGUAGES_MAX][MS_TERM_MAX + 8];
    size_t seen_n[MS_LANGUAGES_MAX];
    int n_seen = 0;
    for (int g = 0; g < ms_analyzer_languages(an); g++) {
        char *t = seen[n_seen];
        size_t tl;
        bool stemmed = ms_token_stemmed_in(an, g, k, w);
        if (stemmed) {
            tl = ms_analyzer_stem_in(an, g, w, k->len, t, sizeof seen[0]);
            if (tl && g >= from) /* highlighted by stem ("sore throats": throat) */
                ms_qinfo_add_str(stems, n_stems, t, tl);
        } else {
            tl = k->len < sizeof seen[0] ? k->len : sizeof seen[0] - 1;
            memcpy(t, w, tl);
        }
        /* t[tl] marks the prefix: a stem and the word as written differ */
        t[tl] = stemmed ? 'Z' : 'W';
        bool dup = false;
        for (int j = 0; j < n_seen && !dup; j++)
            dup = seen_n[j] == tl && memcmp(seen[j], t, tl + 1) == 0;
        if (dup)
            continue;
        seen_n[n_seen++] = tl;
        if (g >= from)
            ms_qlist_add(&l, stemmed ? ms_qterm(pre, t, tl, pos) : ms_qterm(raw, w, k->len, pos));
    }
    return ms_qlist_combine(&l, MSX_OP_OR, 0);
}
