/*
 * query/question.h - what kind of question a query asks (question.c).
 */
#ifndef MEDSEARCH_QUERY_QUESTION_H
#define MEDSEARCH_QUERY_QUESTION_H

#include <stddef.h>

#include "analysis/analyze.h"
#include "query/query.h"

/* Whether the folded word t[0..n) is filler: a word that carries no
 * medical focus in a pasted question ("hi", "please", "wondering"). */
int ms_qfiller(const char *t, size_t n);

/* Whether q reads as a sentence or question rather than operator syntax. */
int ms_reads_natural(const char *q);

/* The question types (treatment, causes, symptoms, ...) that the words of
 * t ask, a bit each (0: none): cue words matched by their stems (by an),
 * every type asked kept ("what causes it and how is it treated"). */
unsigned ms_qtypes_detect(ms_analyzer *an, const ms_tokens *t);

/* Their names joined by "+" ("causes+treatment"), malloc'd. */
char *ms_qtypes_name(unsigned types);

/* Add the section-heading words that fit the types to info->heads (stemmed
 * by an, each once), for the re-ranker. */
void ms_qtypes_headings(unsigned types, ms_analyzer *an, ms_qinfo *info);

#endif
