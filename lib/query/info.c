/*
 * info.c - what the parser learned about a query (ms_qinfo, in
 * medsearch/query.h), for the re-ranker, the highlighter and the notes.
 *
 * Every part of the parser adds the words it searched, their stems and the
 * entities it named here; each is kept once, in the order first met, so
 * that highlighting and reports do not depend on how often a word was
 * typed.
 */
#include "query/info.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ms_qinfo_add_str(char ***v, size_t *n, const char *s, size_t len)
{
    for (size_t i = 0; i < *n; i++)
        if (strlen((*v)[i]) == len && memcmp((*v)[i], s, len) == 0)
            return;
    *v = ms_xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = ms_xstrndup(s, len);
}

void ms_qinfo_add_ent(ms_qinfo *info, ms_entkind k, int entry, const char *name)
{
    for (size_t i = 0; i < info->n_ents; i++)
        if (info->ents[i].kind == k && strcmp(info->ents[i].name, name) == 0)
            return;
    info->ents = ms_xrealloc(info->ents, (info->n_ents + 1) * sizeof *info->ents);
    ms_qent *e = &info->ents[info->n_ents++];
    e->kind = k;
    e->entry = entry;
    snprintf(e->name, sizeof e->name, "%s", name);
}

void ms_qinfo_free(ms_qinfo *info)
{
    for (size_t i = 0; i < info->n_terms; i++)
        free(info->terms[i]);
    free(info->terms);
    for (size_t i = 0; i < info->n_stems; i++)
        free(info->stems[i]);
    free(info->stems);
    free(info->ents);
    free(info->heads);
    free(info->qtype);
    free(info->did_you_mean);
    free(info->unknown_field);
    free(info->unknown_entity);
    for (size_t i = 0; i < info->n_negated; i++)
        free(info->negated[i]);
    free(info->negated);
    memset(info, 0, sizeof *info);
}
