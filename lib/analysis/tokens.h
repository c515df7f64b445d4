/*
 * analysis/tokens.h - writing into a token list (ms_tokens, analyze.h).
 *
 * The scanner writes a token's term bytes at the end of the term buffer
 * (ms_tokens_room), then commits them with ms_tokens_push, which records the
 * token's flags, position and span. Growing the arrays is tokens.c's.
 */
#ifndef MEDSEARCH_ANALYSIS_TOKENS_H
#define MEDSEARCH_ANALYSIS_TOKENS_H

#include "analysis/analyze.h"

/* The token array or the term buffer grown to hold need elements of elem
 * bytes (the rare path of the two calls below). */
void *ms_tokens_grow(void *p, size_t *cap, size_t need, size_t elem);

/* Room for n more term bytes (plus a NUL) at the end of t's term buffer;
 * returns where they go. */
static inline char *ms_tokens_room(ms_tokens *t, size_t n)
{
    if (t->blen + n + 1 > t->bcap)
        t->buf = ms_tokens_grow(t->buf, &t->bcap, t->blen + n + 1, 1);
    return t->buf + t->blen;
}

/* Commit the len term bytes just written at the end of the term buffer as a
 * token (cut to MS_TERM_MAX at a character start, and counted, if longer);
 * returns it, valid until the next push. Inline, as ms_tokens_room: the
 * scanner calls both for every word of every passage and query. */
static inline ms_token *ms_tokens_push(ms_tokens *t, size_t len, unsigned flags, uint32_t pos,
                                       size_t start, size_t end)
{
    if (len > MS_TERM_MAX) {
        t->capped++;
        len = MS_TERM_MAX;
        while (len > 0 && ((unsigned char)t->buf[t->blen + len] & 0xC0) == 0x80)
            len--;
    }
    if (t->n == t->cap)
        t->v = ms_tokens_grow(t->v, &t->cap, t->n + 1, sizeof *t->v);
    ms_token *k = &t->v[t->n++];
    k->off = (uint32_t)t->blen;
    k->len = (uint16_t)len;
    k->flags = (uint16_t)flags;
    k->pos = pos;
    k->start = start;
    k->end = end;
    t->buf[t->blen + len] = '\0';
    t->blen += len + 1;
    return k;
}

#endif
