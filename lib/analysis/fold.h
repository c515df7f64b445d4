/*
 * analysis/fold.h - one word folded as the index holds it.
 */
#ifndef MEDSEARCH_ANALYSIS_FOLD_H
#define MEDSEARCH_ANALYSIS_FOLD_H

#include <stddef.h>

/* Fold s[0..n) into out (cap bytes, not NUL-terminated); returns the length
 * written. ASCII is lower-cased; any other text gets full case folding with
 * NFKC, or, unless keep_accents, NFKD with the combining marks dropped and
 * NFC recomposed; curly apostrophes become "'". What does not fit in cap is
 * dropped. */
size_t ms_fold_word(int keep_accents, const char *s, size_t n, char *out, size_t cap);

#endif
