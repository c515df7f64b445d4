/*
 * medsearch/analyze.h - text -> tokens -> terms, the same for an article being
 * indexed, a query being parsed and a passage being highlighted.
 *
 * Each token carries its term (normalized: NFKC, full case folding, accents
 * folded unless turned off), its byte span [start, end) in the ORIGINAL text,
 * and a term position. Word rules for health text (lib/analysis/analyze.c):
 *
 *  - a word is a run of letters, digits and combining marks; `'` or `’`
 *    between letters joins (`crohn's`), and a trailing `'s` also gives the
 *    bare word at the same position (`crohn`);
 *  - hyphenated words give each part at its own position and the whole
 *    (`anti-inflammatory`) as an alternative at the first part's position,
 *    so the whole, the parts and the spaced form all match;
 *  - numbers keep decimal points, thousands commas and a trailing `%`
 *    (`0.1%`, `2.5`, `1,25`); a number followed by a unit (`10mg`, `10 mg`)
 *    gives number and unit at two positions and the joined `10mg` as an
 *    alternative, so either spelling finds the other;
 *  - Han, Hiragana, Katakana and Hangul runs give overlapping bigrams (a
 *    single character gives itself);
 *  - emoji, symbols and punctuation give nothing; invalid UTF-8 bytes are
 *    skipped and counted; terms longer than MS_TERM_MAX bytes are cut at a
 *    character boundary and counted.
 *
 * Nothing is dropped as a stopword: the query side decides what to ignore.
 */
#ifndef MEDSEARCH_ANALYZE_H
#define MEDSEARCH_ANALYZE_H

#include <stddef.h>
#include <stdint.h>

#include "medsearch/error.h"

#define MS_TERM_MAX 64

enum {
    MS_TOK_NUMBER = 1, /* digits, maybe with . , % */
    MS_TOK_CJK = 2,    /* a CJK bigram or single character */
    MS_TOK_ALT = 4,    /* an alternative form at the previous primary token's position */
    MS_TOK_JOINED = 8  /* a part of a hyphenated or number+unit group */
};

typedef struct ms_token {
    uint32_t off;   /* term bytes at tokens->buf + off, NUL-terminated */
    uint16_t len;   /* term length in bytes */
    uint16_t flags; /* MS_TOK_* */
    uint32_t pos;   /* term position (primary tokens count up from first_pos) */
    size_t start;   /* byte span in the original text */
    size_t end;
} ms_token;

typedef struct ms_tokens {
    ms_token *v;
    size_t n, cap;
    char *buf; /* term bytes */
    size_t blen, bcap;
    size_t invalid_bytes; /* invalid UTF-8 bytes skipped */
    size_t capped;        /* terms cut to MS_TERM_MAX */
} ms_tokens;

static inline const char *ms_token_term(const ms_tokens *t, const ms_token *k)
{
    return t->buf + k->off;
}

void ms_tokens_init(ms_tokens *t);
void ms_tokens_reset(ms_tokens *t); /* empty, keeping the memory */
void ms_tokens_free(ms_tokens *t);

typedef struct ms_analyzer ms_analyzer;

typedef struct ms_analyzer_opts {
    const char *language; /* Snowball language; NULL: "english"; "none": no stemming */
    int keep_accents;     /* 0 (default): fold accents so `sjögren` = `sjogren` */
} ms_analyzer_opts;

ms_analyzer *ms_analyzer_new(const ms_analyzer_opts *opts, ms_error *err);
void ms_analyzer_free(ms_analyzer *a);

/* Append the tokens of text[0..len) to out; primary tokens get positions
 * first_pos, first_pos + 1, ... Returns the position after the last one.
 * Never fails: out of memory aborts (the token buffers are the only
 * allocations and grow geometrically). */
uint32_t ms_analyze(ms_analyzer *a, const char *text, size_t len, uint32_t first_pos,
                    ms_tokens *out);

/* Normalize one word (fold case and accents as the analyzer does) into out
 * (capacity cap); returns its length. */
size_t ms_analyzer_fold(ms_analyzer *a, const char *word, size_t len, char *out, size_t cap);

/* The stem of a folded term into out (capacity cap, NUL-terminated); returns
 * its length. Medical families that Snowball damages are kept whole: words
 * ending in -itis, -osis, -iasis, -emia/-aemia, -ism and -oma (and their
 * plurals) and words with digits are their own stems. */
size_t ms_analyzer_stem(ms_analyzer *a, const char *term, size_t len, char *out, size_t cap);

/* Whether every stem begins with its word's first byte (English, or no
 * stemming), so that a word can be ruled out by that byte alone. */
int ms_analyzer_stems_keep_first(const ms_analyzer *a);

/* The settings that must agree between an index and its queries, as
 * "language=english accents=fold analyzer=N". */
const char *ms_analyzer_settings(const ms_analyzer *a);

/* Whether a folded term is a common English function word (the, of, is...),
 * which queries may ignore outside phrases. */
int ms_is_stopword(const char *term, size_t len);

/* Whether token k (term t) is indexed by its stem, with the prefix Z and its
 * positions, like Lucene's and FTS5's stemmed indexes: one term per word,
 * which phrases match by stem. Stopwords, numbers, CJK and alternative forms
 * are indexed as written, without a prefix. The indexer and the query parser
 * both decide by this. */
static inline int ms_token_stemmed(const ms_token *k, const char *t)
{
    return !(k->flags & (MS_TOK_NUMBER | MS_TOK_CJK | MS_TOK_ALT)) && !ms_is_stopword(t, k->len);
}

#endif
