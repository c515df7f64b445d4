/*
 * query/question.h - what kind of question a query asks (question.c).
 */
#ifndef MEDSEARCH_QUERY_QUESTION_H
#define MEDSEARCH_QUERY_QUESTION_H

#include <stddef.h>

#include "analysis/analyze.h"
#include "query/query.h"

/* Whether t[0..n) is one of the nl words of list. */

/* Whether the folded word t[0..n) is filler: a word that carries no
 * medical focus in a pasted question ("hi", "please", "wondering"). */
int ms_qfiller(const char *t, size_t n);

/* Whether q reads as a sentence or question rather than operator syntax. */
int ms_reads_natural(const char *q);

/* A question type (treatment, causes, ...): its cue words and the heading
 * words it favours. */
typedef struct ms_qtype ms_qtype;

/* The question type the words of t ask, or NULL. */
const ms_qtype *ms_qtype_detect(const ms_tokens *t);

/* Its name ("treatment", "side effects", ...). */
const char *ms_qtype_name(const ms_qtype *qt);

/* Add the section-heading words that fit qt to info->heads (stemmed by an),
 * for the re-ranker. */
void ms_qtype_headings(const ms_qtype *qt, ms_analyzer *an, ms_qinfo *info);

#endif
