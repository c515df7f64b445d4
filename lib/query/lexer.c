/*
 * lexer.c - the first pass of the query parser: the string cut into items.
 *
 * Items are words, "phrases", field: prefixes, operators (AND, OR, NOT,
 * NEAR/n), parentheses, +/- signs and trailing wildcards. The lexer works
 * in one of two modes: operator mode, where AND/OR/NOT/NEAR, parentheses
 * and +/- prefixes are syntax, and natural mode, chosen for queries that
 * read as sentences (question.c), where only quotes and fields are syntax.
 * Items point into the query string, so that corrections and highlights can
 * name the bytes they came from. A syntax error is noted, not fatal: the
 * caller reads the whole string again in natural mode.
 */
#include "query/lexer.h"
#include "base/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const ms_qfields[N_FIELDS] = {"title", "section", "source",
                                          "drug",  "symptom", "condition"};

void ms_qsyntax_error(ms_qlexer *lx, const char *fmt, ...)
{
    if (lx->error)
        return;
    lx->error = 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(lx->errmsg, sizeof lx->errmsg, fmt, ap);
    va_end(ap);
}

int ms_qlex_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Length of an opening or closing double quote at s (", “, ”), else 0. */
static size_t quote_len(const char *s)
{
    if (s[0] == '"')
        return 1;
    if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
        ((unsigned char)s[2] == 0x9C || (unsigned char)s[2] == 0x9D))
        return 3;
    return 0;
}

static void push_item(ms_qlexer *p, ms_qitem it)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 32;
        p->it = ms_xrealloc(p->it, p->cap * sizeof *p->it);
    }
    p->it[p->n++] = it;
}

static int field_of(const char *s, size_t n)
{
    for (int f = 0; f < N_FIELDS; f++) {
        size_t fl = strlen(ms_qfields[f]);
        if (n == fl) {
            size_t i;
            for (i = 0; i < n; i++)
                if ((s[i] | 0x20) != ms_qfields[f][i])
                    break;
            if (i == n)
                return f;
        }
    }
    return -1;
}

static int all_letters(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z'))
            return 0;
    return 1;
}

void ms_qlex(ms_qlexer *p, const char *q, int natural)
{
    p->n = 0;
    const char *s = q;
    while (*s) {
        if (ms_qlex_space(*s)) {
            s++;
            continue;
        }
        ms_qitem it = {L_WORD, NULL, 0, 0, -1, 0};
        if (!natural && (*s == '+' || *s == '-') && s[1] && !ms_qlex_space(s[1]) && s[1] != '+' &&
            s[1] != '-') {
            it.sign = *s++;
        }
        if (!natural && (*s == '(' || *s == ')')) {
            if (it.sign)
                ms_qsyntax_error(p, "'%c' before a parenthesis", it.sign);
            it.type = *s == '(' ? L_LP : L_RP;
            push_item(p, it);
            s++;
            continue;
        }
        /* field: */
        const char *colon = NULL;
        for (const char *c = s; *c && !ms_qlex_space(*c) && !quote_len(c) && *c != '(' && *c != ')';
             c++)
            if (*c == ':') {
                colon = c;
                break;
            }
        if (colon && colon > s && colon[1] && !ms_qlex_space(colon[1])) {
            size_t nl = (size_t)(colon - s);
            int f = field_of(s, nl);
            if (f >= 0) {
                it.field = f;
                s = colon + 1;
            } else if (!natural && !p->unknown_field && nl <= 20 && all_letters(s, nl)) {
                /* path:GARD, date:2024: no field; read as words, and said */
                p->unknown_field = ms_xstrndup(s, nl);
            }
        }
        size_t ql = quote_len(s);
        if (ql) {
            const char *b = s + ql, *e = b;
            while (*e && !quote_len(e))
                e++;
            if (!*e) {
                ms_qsyntax_error(p, "unbalanced quote");
                it.s = b;
                it.n = (size_t)(e - b);
                s = e;
            } else {
                it.type = L_PHRASE;
                it.s = b;
                it.n = (size_t)(e - b);
                s = e + quote_len(e);
            }
            push_item(p, it);
            continue;
        }
        const char *b = s;
        while (*s && !ms_qlex_space(*s) && !quote_len(s) && (natural || (*s != '(' && *s != ')')))
            s++;
        it.s = b;
        it.n = (size_t)(s - b);
        if (!natural && it.field < 0 && !it.sign) {
            if (it.n == 3 && memcmp(b, "AND", 3) == 0)
                it.type = L_AND;
            else if (it.n == 2 && memcmp(b, "OR", 2) == 0)
                it.type = L_OR;
            else if (it.n == 3 && memcmp(b, "NOT", 3) == 0)
                it.type = L_NOT;
            else if (it.n >= 4 && memcmp(b, "NEAR", 4) == 0 &&
                     (it.n == 4 || (b[4] == '/' && it.n > 5))) {
                unsigned w = 10;
                if (it.n > 5) {
                    char *end;
                    w = (unsigned)strtoul(b + 5, &end, 10);
                    if (end != b + it.n || w == 0 || w > 1000)
                        ms_qsyntax_error(p, "bad NEAR window '%.*s'", (int)it.n, b);
                }
                it.type = L_NEAR;
                it.near = w;
            }
        }
        if (it.type == L_WORD && it.n >= 3 && b[it.n - 1] == '*' && !natural)
            it.type = L_WILD, it.n--;
        push_item(p, it);
    }
    push_item(p, (ms_qitem){L_END, NULL, 0, 0, -1, 0});
}
