/*
 * search/narrow.c - narrowing a search to some files and dates (medquery
 * --path, --since, --until, --undated): a boolean filter that Xapian
 * applies with the query, so that ranks, pages and counts are those of the
 * narrowed search.
 *
 * A path glob is matched (fnmatch, '*' crossing '/') against the path terms
 * of the index, which name every file once: the filter is those files'
 * terms. A glob matches a file when it matches its path or a folder above
 * it. Dates are ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD) in the value slot
 * MS_SLOT_DATE, which sort as strings: a range is a value range, whose
 * bounds take in every date a partial bound covers (--until 2024 keeps
 * 2024-12-31). An article without a date is in no range; --undated adds
 * them.
 */
#include "search/narrow.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "index/index.h"
#include "search/searcher.h"

/* The terms of the files that the globs match. */
typedef struct path_terms {
    const char *const *globs;
    size_t n_globs;
    msx_query **v;
    size_t n;
} path_terms;

static int glob_matches(const char *glob, const char *path)
{
    if (fnmatch(glob, path, 0) == 0)
        return 1;
    /* a folder: the glob matches a leading part of the path that ends at a '/' */
    char *copy = ms_xstrndup(path, strlen(path));
    int found = 0;
    for (char *slash = strrchr(copy, '/'); slash && !found; slash = strrchr(copy, '/')) {
        *slash = '\0';
        found = fnmatch(glob, copy, 0) == 0;
    }
    free(copy);
    return found;
}

static int add_path(void *ctx, const char *term, size_t len, unsigned freq)
{
    (void)freq;
    path_terms *pt = ctx;
    char *path = ms_xstrndup(term + 1, len - 1); /* after the prefix P */
    for (size_t g = 0; g < pt->n_globs; g++)
        if (glob_matches(pt->globs[g], path)) {
            pt->v = ms_xrealloc(pt->v, (pt->n + 1) * sizeof *pt->v);
            pt->v[pt->n] = msx_query_term(term, len, 1, 0);
            pt->n += pt->v[pt->n] != NULL;
            break;
        }
    free(path);
    return 0;
}

/* The date filter: the range, with the undated articles when asked. */
static msx_query *date_filter(const ms_search_opts *o, ms_error *err)
{
    /* the bounds: a partial --until takes in the dates it covers ("\xff"
       sorts after any digit or '-'); open ends are "0" and "9999\xff",
       which a date that is not ISO (one written "Dec 12, 2024") is not in */
    char hi[32];
    snprintf(hi, sizeof hi, "%s\xff", o->until ? o->until : "9999");
    msx_query *range = msx_query_value_range(MS_SLOT_DATE, o->since ? o->since : "0", hi);
    if (!range || !o->undated)
        return range;
    /* dated: any value ("\x01" on: Xapian reads an empty bound as all documents) */
    msx_query *all = msx_query_match_all(),
              *dated = msx_query_value_range(MS_SLOT_DATE, "\x01", NULL);
    msx_query *undated = NULL, *both = NULL;
    msx_error xe;
    if (all && dated) {
        msx_query *sub[2] = {all, dated};
        if (msx_query_combine(MSX_OP_AND_NOT, sub, 2, 0, &undated, &xe) == MSX_OK) {
            msx_query *either[2] = {range, undated};
            if (msx_query_combine(MSX_OP_OR, either, 2, 0, &both, &xe) != MSX_OK)
                both = NULL;
        }
    }
    msx_query_free(all);
    msx_query_free(dated);
    msx_query_free(undated);
    msx_query_free(range);
    if (!both)
        ms_fail(err, MS_ENOMEM, "out of memory");
    return both;
}

int ms_narrow_query(const msx_db *db, const char *db_path, const ms_search_opts *o, msx_query **out,
                    ms_error *err)
{
    *out = NULL;
    int dates = o->since || o->until;
    if (!o->n_paths && !dates)
        return 0;
    msx_query *parts[2];
    size_t n = 0;
    msx_error xe;
    if (o->n_paths) {
        path_terms pt = {o->paths, o->n_paths, NULL, 0};
        msx_status st = msx_db_allterms(db, "P", add_path, &pt, &xe);
        msx_query *any = NULL;
        if (st == MSX_OK)
            st = msx_query_combine(MSX_OP_OR, pt.v, pt.n, 0, &any, &xe);
        for (size_t i = 0; i < pt.n; i++)
            msx_query_free(pt.v[i]);
        free(pt.v);
        if (st != MSX_OK) {
            ms_searcher_fail(err, db_path, &xe);
            return ms_searcher_may_pass(st) ? 1 : -1;
        }
        parts[n++] = any; /* (no file: an empty query, which matches nothing) */
    }
    if (dates) {
        parts[n] = date_filter(o, err);
        if (!parts[n]) {
            while (n > 0)
                msx_query_free(parts[--n]);
            return -1;
        }
        n++;
    }
    msx_status st = msx_query_combine(MSX_OP_AND, parts, n, 0, out, &xe);
    while (n > 0)
        msx_query_free(parts[--n]);
    if (st != MSX_OK)
        return ms_fail(err, MS_ENOMEM, "out of memory");
    return 0;
}
