/*
 * query/lexer.h - a query string cut into items (lexer.c).
 */
#ifndef MEDSEARCH_QUERY_LEXER_H
#define MEDSEARCH_QUERY_LEXER_H

#include <stddef.h>

enum ltype { L_END, L_WORD, L_PHRASE, L_LP, L_RP, L_AND, L_OR, L_NOT, L_NEAR, L_WILD };

typedef struct ms_qitem {
    enum ltype type;
    const char *s; /* text (without quotes, field or '*') */
    size_t n;
    char sign;     /* '+', '-' or 0 */
    int field;     /* index into ms_qfields[], or -1 */
    unsigned near; /* NEAR window */
} ms_qitem;

/* The fields a query may name (title:, ...), in the order of ms_qfields. */
enum { F_TITLE, F_SECTION, F_SOURCE, F_DRUG, F_SYMPTOM, F_CONDITION, N_FIELDS };
extern const char *const ms_qfields[N_FIELDS];

/* The items of a query, ending with L_END, and what was wrong with it. The
 * parser (parser.c) reports its own syntax errors here too: the first one
 * is kept. */
typedef struct ms_qlexer {
    ms_qitem *it;
    size_t n, cap;
    int error; /* syntax error seen */
    char errmsg[200];
    char *unknown_field; /* the first NAME: that is no field (malloc'd) */
} ms_qlexer;

/* Cut q into lx->it, in natural mode (only quotes and fields are syntax)
 * or operator mode. The items point into q. */
void ms_qlex(ms_qlexer *lx, const char *q, int natural);

/* Note a syntax error (printf-style), unless one was noted before. */
void ms_qsyntax_error(ms_qlexer *lx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Whether c is white space between the items of a query. */
int ms_qlex_space(char c);

#endif
