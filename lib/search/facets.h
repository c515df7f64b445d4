/*
 * search/facets.h - counting the entities among the top matches, over a
 * match list of their own, for --facets.
 */
#ifndef MEDSEARCH_SEARCH_FACETS_H
#define MEDSEARCH_SEARCH_FACETS_H

#include "search/search.h"
#include "xapian/xapian.h"

/* Count the entities of the kinds listed in kinds (comma-separated; NULL
 * lists all) over the passages of m into r->facets, most frequent first,
 * grouped by kind in the order kinds names them.
 * A passage whose record cannot be read (path names the index) is left
 * out. */
void ms_facets_count(ms_results *r, const msx_mset *m, const char *path, const char *kinds,
                     ms_error *err);

#endif
