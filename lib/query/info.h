/*
 * query/info.h - noting what a parse searched, in its ms_qinfo (info.c).
 */
#ifndef MEDSEARCH_QUERY_INFO_H
#define MEDSEARCH_QUERY_INFO_H

#include <stddef.h>

#include "query/query.h"

/* Add a copy of s[0..len) to the list (*v, *n), unless it is there. */
void ms_qinfo_add_str(char ***v, size_t *n, const char *s, size_t len);

/* Add the entity (k, entry, name) to info->ents, unless it is there. */
void ms_qinfo_add_ent(ms_qinfo *info, ms_entkind k, int entry, const char *name);

#endif
