/*
 * query/negation.h - symptoms and conditions a question says are absent
 * (negation.c).
 */
#ifndef MEDSEARCH_QUERY_NEGATION_H
#define MEDSEARCH_QUERY_NEGATION_H

#include "analysis/analyze.h"
#include "lexicon/lexicon.h"
#include "query/query.h"

/* Mark in skip[] (one byte per token of t) the tokens of text not to
 * search: the symptoms and conditions of ents inside a negation's scope,
 * and their triggers; the negated entities are listed in info->negated and
 * dropped from ents. */
void ms_negations(const ms_lexicon *lex, const ms_tokens *t, const char *text, ms_entities *ents,
                  char *skip, ms_qinfo *info);

#endif
