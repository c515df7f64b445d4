/*
 * analysis/tokens.c - the token list: two arrays that grow and are reused.
 *
 * A token list holds the tokens (ms_token) and, apart, their term bytes,
 * each term NUL-terminated. A token names its term by offset, not pointer,
 * so that growing the term buffer never invalidates a token. Both arrays
 * grow geometrically and ms_tokens_reset keeps their memory, so that the
 * analysis of one passage after another allocates nothing once warm.
 */
#include "analysis/tokens.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

void ms_tokens_init(ms_tokens *t)
{
    memset(t, 0, sizeof *t);
}

void ms_tokens_reset(ms_tokens *t)
{
    t->n = 0;
    t->blen = 0;
    t->invalid_bytes = 0;
    t->capped = 0;
}

void ms_tokens_free(ms_tokens *t)
{
    free(t->v);
    free(t->buf);
    ms_tokens_init(t);
}

/* p grown to hold at least need elements of elem bytes (doubling from 64). */
static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    *cap = c;
    return ms_xrealloc(p, c * elem);
}

char *ms_tokens_room(ms_tokens *t, size_t n)
{
    if (t->blen + n + 1 > t->bcap)
        t->buf = grow(t->buf, &t->bcap, t->blen + n + 1, 1);
    return t->buf + t->blen;
}

/* A term of len bytes at s cut to at most MS_TERM_MAX, at a character start. */
static size_t cap_len(ms_tokens *t, const char *s, size_t len)
{
    if (len <= MS_TERM_MAX)
        return len;
    t->capped++;
    len = MS_TERM_MAX;
    while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
        len--;
    return len;
}

ms_token *ms_tokens_push(ms_tokens *t, size_t len, unsigned flags, uint32_t pos, size_t start,
                         size_t end)
{
    len = cap_len(t, t->buf + t->blen, len);
    if (t->n == t->cap)
        t->v = grow(t->v, &t->cap, t->n + 1, sizeof *t->v);
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
