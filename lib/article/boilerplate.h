/*
 * boilerplate.h - the table of lines a site repeats on many of its pages
 * (ms_boilerplate of medsearch/article.h), as the learner fills it, and
 * what an indexer keeps of it between runs: each file's line keys, and the
 * questions a parse asked of the table with their answers.
 */
#ifndef MEDSEARCH_ARTICLE_BOILERPLATE_H
#define MEDSEARCH_ARTICLE_BOILERPLATE_H

#include <stddef.h>
#include <stdint.h>

#include "article/article.h"

/* A list of line keys (a 64-bit hash of site and line, never 0), each with
 * a flag byte (ms_boilerplate_trace: whether the table said repeated). */
typedef struct ms_bp_keys {
    uint64_t *key;
    unsigned char *flag;
    size_t n, cap;
} ms_bp_keys;

void ms_bp_keys_free(ms_bp_keys *k);
/* Sort by key and keep one entry per key (the first one's flag). */
void ms_bp_keys_sort(ms_bp_keys *k);

/* The key of site, and append the key of its line s[0..n) (n > 0) to k. */
uint64_t ms_bp_site_key(const char *site);
void ms_bp_keys_line(ms_bp_keys *k, uint64_t site, const char *s, size_t n);

/* The distinct keys of the lines of one article (raw file bytes) of site,
 * sorted: what ms_boilerplate_learn() counts. */
void ms_boilerplate_keys(const char *site, const char *data, size_t len, ms_format fmt,
                         ms_bp_keys *out);
/* Count one more article of site, whose distinct lines are keys[0..n). */
void ms_boilerplate_add(ms_boilerplate *bp, const char *site, const uint64_t *keys, size_t n);
/* Whether the line of key (of site) is repeated in the table. */
int ms_boilerplate_key_repeated(const ms_boilerplate *bp, const char *site, uint64_t key);
/* While t is not NULL, every ms_boilerplate_is_repeated() appends the key
 * it was asked and, as its flag, the answer (1 repeated, 0 not) to t. */
void ms_boilerplate_trace(ms_boilerplate *bp, ms_bp_keys *t);

#endif
