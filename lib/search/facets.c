/*
 * search/facets.c - facets: the drugs, symptoms and conditions that the top
 * matches name, most frequent first.
 *
 * They are counted over a match list of their own, facet_depth deep
 * (medquery --facets: the top 100) whatever page is shown, from the
 * entities in each passage's record: no text is analyzed again.
 */
#include "search/facets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "search/searcher.h"

/* Whether kind is listed in kinds (comma-separated; NULL lists all). */
static int kind_wanted(const char *kinds, const char *kind)
{
    if (!kinds)
        return 1;
    size_t n = strlen(kind);
    for (const char *p = kinds; *p;) {
        size_t l = strcspn(p, ",");
        if (l == n && strncmp(p, kind, n) == 0)
            return 1;
        p += l + (p[l] == ',');
    }
    return 0;
}

static int cmp_facet(const void *a, const void *b)
{
    const ms_facet *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    if (x->kind != y->kind)
        return (int)x->kind - (int)y->kind;
    return strcmp(x->name, y->name);
}

/* Group r's facets by kind in the order kinds names them (JSON writes its
 * keys in the order they first come), each kind's most frequent first. */
static void order_by_kinds(ms_results *r, const char *kinds)
{
    ms_facet *sorted = ms_xrealloc(NULL, (r->n_facets + 1) * sizeof *sorted);
    char *taken = ms_xrealloc(NULL, r->n_facets + 1);
    memset(taken, 0, r->n_facets + 1);
    size_t n = 0;
    for (const char *p = kinds; *p;) {
        size_t l = strcspn(p, ",");
        for (size_t i = 0; i < r->n_facets; i++) {
            const char *k = ms_entkind_name(r->facets[i].kind);
            if (!taken[i] && strlen(k) == l && strncmp(p, k, l) == 0) {
                sorted[n++] = r->facets[i];
                taken[i] = 1; /* (a kind may be named twice) */
            }
        }
        p += l + (p[l] == ',');
    }
    free(taken);
    free(r->facets);
    r->facets = sorted;
    r->n_facets = n;
}

void ms_facets_count(ms_results *r, const msx_mset *m, const char *path, const char *kinds,
                     ms_error *err)
{
    for (unsigned i = 0; i < msx_mset_size(m); i++) {
        int modified = 0;
        ms_rec rec;
        if (ms_searcher_load_rec(m, i, path, &rec, &modified, err) < 0)
            continue;
        for (size_t k = 0; k < rec.n_ents; k++) {
            ms_entkind ek = rec.ents[k].kind;
            const char *name = rec.ents[k].name;
            if (!kind_wanted(kinds, ms_entkind_name(ek)))
                continue;
            size_t f;
            for (f = 0; f < r->n_facets; f++)
                if (r->facets[f].kind == ek && strcmp(r->facets[f].name, name) == 0)
                    break;
            if (f == r->n_facets) {
                r->facets = ms_xrealloc(r->facets, (r->n_facets + 1) * sizeof *r->facets);
                r->facets[f].kind = ek;
                snprintf(r->facets[f].name, sizeof r->facets[f].name, "%s", name);
                r->facets[f].count = 0;
                r->n_facets++;
            }
            r->facets[f].count++;
        }
        ms_rec_free(&rec);
    }
    if (!r->n_facets) /* (qsort takes no NULL, even for nothing) */
        return;
    qsort(r->facets, r->n_facets, sizeof *r->facets, cmp_facet);
    if (kinds)
        order_by_kinds(r, kinds);
}
