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
 *    bare word at the same position (`crohn`); an elided article or
 *    pronoun of a Romance language goes (`l'eczéma`, `d'eczéma`,
 *    `qu'il`, `dell'orecchio`: `eczéma`, `il`, `orecchio`);
 *  - hyphenated words give each part at its own position and the whole
 *    (`anti-inflammatory`) as an alternative at the first part's position,
 *    so the whole, the parts and the spaced form all match;
 *  - numbers keep decimal points, thousands commas and a trailing `%`
 *    (`0.1%`, `2.5`, `1,25`); a number followed by a unit (`10mg`, `10 mg`)
 *    gives number and unit at two positions and the joined `10mg` as an
 *    alternative, so either spelling finds the other;
 *  - Han, Hiragana, Katakana and Hangul runs give overlapping bigrams (a
 *    single character gives itself);
 *  - a word of 2 to 6 ASCII capitals is flagged MS_TOK_CAPS (an
 *    abbreviation: EDS, ALS), so that it can be told from the word its stem
 *    shares;
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

#include "base/error.h"
#include "medsearch.h" /* tokens, the analyzer and its calls */

/* Whether every stem begins with its word's first byte (English, or no
 * stemming), so that a word can be ruled out by that byte alone. */
int ms_analyzer_stems_keep_first(const ms_analyzer *a);

/* The settings that must agree between an index and its queries, as
 * "language=english accents=fold analyzer=N". */
const char *ms_analyzer_settings(const ms_analyzer *a);

/* Whether a folded term is a common English function word (the, of, is...),
 * which queries may ignore outside phrases. */
int ms_is_stopword(const char *term, size_t len);

/* ---- languages ----
 * An analyzer stems in the index's language, and in the languages of the
 * articles that say theirs: each has a number, 0 for the index's own. */
#define MS_LANGUAGES_MAX 8

/* The Snowball name of a language tag or name ("fr", "fr-FR", "French":
 * "french"), NULL when not one of Snowball's. (languages.c) */
const char *ms_language_of(const char *tag, size_t n);

/* Whether a folded term is a function word of language (a Snowball name;
 * the English list for a language without its own). (languages.c) */
int ms_is_stopword_in(const char *language, const char *t, size_t n);

/* The number of a language (a name ms_language_of gives, which must stay
 * valid), added on first use; 0 (the index's own) for NULL, a language
 * Snowball does not know, beyond MS_LANGUAGES_MAX, or without stemming. */
int ms_analyzer_language(ms_analyzer *a, const char *language);
int ms_analyzer_languages(const ms_analyzer *a);
const char *ms_analyzer_language_name(const ms_analyzer *a, int lang);
/* As ms_analyzer_stem, in language lang. */
size_t ms_analyzer_stem_in(ms_analyzer *a, int lang, const char *t, size_t n, char *out,
                           size_t cap);
/* Whether a folded term is a function word of language lang: for the
 * index's own, ms_is_stopword whatever the language (as before languages
 * per article). */
int ms_analyzer_stopword(const ms_analyzer *a, int lang, const char *t, size_t n);

/* Whether token k (term t) is indexed by its stem, with the prefix Z and its
 * positions, like Lucene's and FTS5's stemmed indexes: one term per word,
 * which phrases match by stem. Stopwords, numbers, CJK and alternative forms
 * are indexed as written, without a prefix. The indexer and the query parser
 * both decide by this. */
static inline int ms_token_stemmed(const ms_token *k, const char *t)
{
    return !(k->flags & (MS_TOK_NUMBER | MS_TOK_CJK | MS_TOK_ALT)) && !ms_is_stopword(t, k->len);
}

/* As ms_token_stemmed, in language lang of a. */
static inline int ms_token_stemmed_in(const ms_analyzer *a, int lang, const ms_token *k,
                                      const char *t)
{
    return !(k->flags & (MS_TOK_NUMBER | MS_TOK_CJK | MS_TOK_ALT)) &&
           !ms_analyzer_stopword(a, lang, t, k->len);
}

#endif
