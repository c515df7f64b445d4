/*
 * query/parser.h - the recursive-descent parser of a query (parser.c).
 */
#ifndef MEDSEARCH_QUERY_PARSER_H
#define MEDSEARCH_QUERY_PARSER_H

#include <stddef.h>

#include "query/freetext.h"
#include "query/lexer.h"
#include "xapian/xapian.h"

typedef struct ms_qparser {
    ms_qctx c;            /* what free text reads and writes */
    ms_qlexer lx;         /* the items, and the syntax errors seen */
    size_t i;             /* the item being read */
    char *unknown_entity; /* the first drug:, symptom: or condition: the lexicon lacks */
    unsigned depth;       /* parentheses open around the current item */
} ms_qparser;

/* Lex q (in natural mode if p->c.natural) and parse it: the query, or NULL
 * when it has nothing to search for. A syntax error is noted in p->lx. */
msx_query *ms_qparse(ms_qparser *p, const char *q);

#endif
