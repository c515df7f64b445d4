/*
 * analysis/stem.h - the stemming policy: Snowball, except where it harms
 * health words, memoised.
 */
#ifndef MEDSEARCH_ANALYSIS_STEM_H
#define MEDSEARCH_ANALYSIS_STEM_H

#include <stddef.h>

#include "base/error.h"

typedef struct ms_stemmer ms_stemmer;

/* A stemmer for a Snowball language, or "none" (terms are their own
 * stems); NULL with err set (MS_EUSAGE naming the known languages, or
 * MS_ENOMEM) on failure. */
ms_stemmer *ms_stemmer_new(const char *language, ms_error *err);
void ms_stemmer_free(ms_stemmer *s);

/* The stem of the folded term t[0..n) into out (cap bytes, NUL-terminated);
 * returns its length. */
size_t ms_stemmer_stem(ms_stemmer *s, const char *t, size_t n, char *out, size_t cap);

/* Whether every stem begins with its word's first byte. */
int ms_stemmer_keeps_first(const ms_stemmer *s);

#endif
