/*
 * query/query.h - the query parser with its word source named (query.c).
 */
#ifndef MEDSEARCH_QUERY_QUERY_H
#define MEDSEARCH_QUERY_QUERY_H

#include "medsearch/query.h"
#include "query/spelling.h"

/* ms_query_parse, with spelling's questions asked of words (NULL: no index,
 * nothing is corrected) instead of an index: for the fuzzer, which passes a
 * source held in memory. ms_query_parse(env, db, ...) is this with the
 * source that reads db (indexwords.h). */
int ms_query_parse_words(const ms_env *env, const ms_word_source *words, const char *q,
                         const ms_qopts *opts, msx_query **out, ms_qinfo *info, ms_error *err);

#endif
