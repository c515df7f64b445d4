/*
 * search/narrow.h - the filter of a search narrowed to some files and
 * dates (ms_search_opts: paths, since, until, undated).
 */
#ifndef MEDSEARCH_SEARCH_NARROW_H
#define MEDSEARCH_SEARCH_NARROW_H

#include "search/search.h"
#include "xapian/xapian.h"

/* The boolean filter of o's narrowing over db (db_path names it in
 * messages) into *out, or NULL when o narrows nothing. Returns 0, 1 when
 * the index changed under the reader (read it again), or -1 with err. */
int ms_narrow_query(const msx_db *db, const char *db_path, const ms_search_opts *o, msx_query **out,
                    ms_error *err);

#endif
