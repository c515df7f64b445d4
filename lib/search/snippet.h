/*
 * search/snippet.h - the snippet of a passage, with its highlights: cut
 * from text the query marked (mark.h), so that ms_search marks a passage
 * once for its snippet and its proximity score.
 */
#ifndef MEDSEARCH_SEARCH_SNIPPET_H
#define MEDSEARCH_SEARCH_SNIPPET_H

#include <stddef.h>

#include "search/mark.h"
#include "search/search.h"

/* The snippet of text, marked in mk (ms_mark), into hit: its snippet and
 * highlights, malloc'd. */
void ms_snippet_marked(const ms_marked *mk, const char *text, size_t len, unsigned words,
                       ms_hit *hit);

#endif
