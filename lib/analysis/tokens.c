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

void *ms_tokens_grow(void *p, size_t *cap, size_t need, size_t elem)
{
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    *cap = c;
    return ms_xrealloc(p, c * elem);
}
