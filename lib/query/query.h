/*
 * query/query.h - what a person types -> a Xapian query (query.c and the
 * files of lib/query/ it calls).
 *
 * Syntax: words; "phrases" (in order, by stem); AND, OR, NOT (in capitals),
 * +word, -word, parentheses; a NEAR/n b; fields title:, section:, source:,
 * drug:, symptom:, condition:; a trailing wildcard loratad*. Operators count
 * only where they are meant: a query that reads as a sentence or a question
 * ("I do NOT have a fever") treats them as words. Malformed syntax falls
 * back to plain words (in strict mode it is an error instead).
 *
 * Free text goes through the same analyzer and lexicon as the articles:
 * stopwords and filler are dropped outside phrases, recognised drugs,
 * symptoms and conditions expand to their synonyms (at lower weight), and
 * the question type (treatment, causes, symptoms, ...) is noted with the
 * heading words that fit it, which the re-ranker (search/rerank.c) favours, as it
 * favours passages where the query's neighbouring words stand together.
 */
#ifndef MEDSEARCH_QUERY_H
#define MEDSEARCH_QUERY_H

#include <stddef.h>

#include "base/error.h"
#include "index/settings.h"
#include "lexicon/lexicon.h"
#include "xapian/xapian.h"

/* The index stems that spelling corrections are chosen from, listed from
 * the index once per first letter and kept: a batch of queries with
 * misspellings lists each letter once, not once per misspelt word. Not
 * shared between threads; clear it when the index is reopened. */
typedef struct ms_spell_words ms_spell_words;
ms_spell_words *ms_spell_words_new(void);
void ms_spell_words_clear(ms_spell_words *w);
void ms_spell_words_free(ms_spell_words *w);

typedef struct ms_qopts {
    int expand;            /* expand through the lexicon (default on) */
    int spelling;          /* add corrections of words unknown to the index */
    int strict;            /* syntax errors fail instead of falling back */
    ms_spell_words *words; /* NULL: the index's stems are listed for this query only */
} ms_qopts;

typedef struct ms_qent {
    ms_entkind kind;
    int entry; /* lexicon entry, or -1 (name only) */
    char name[96];
} ms_qent;

/* A section-heading word that fits the question type, and the score it adds
 * to a passage whose heading holds it. */
typedef struct ms_qhead {
    char word[MS_TERM_MAX + 1]; /* its stem, or the word itself for a stopword */
    double weight;
} ms_qhead;

/* What the parser learned about a query: for ranking, highlighting and reports. */
typedef struct ms_qinfo {
    char **terms; /* folded words and phrase words to highlight */
    size_t n_terms;
    char **stems; /* stems of free-text words to highlight */
    size_t n_stems;
    ms_qent *ents; /* entities to highlight */
    size_t n_ents;
    char **negated; /* symptoms and conditions the question says are absent: not searched */
    size_t n_negated;
    char *did_you_mean;   /* the query with corrections, or NULL */
    char *unknown_field;  /* a NAME: that is no field (read as words), or NULL */
    char *unknown_entity; /* a drug:, symptom: or condition: the lexicon lacks (searched
                             as words), or NULL */
    char *qtype;          /* the question types asked ("causes+treatment"), or NULL */
    ms_qhead *heads;      /* heading words of the question type */
    size_t n_heads;
    int fallback; /* malformed syntax, read as plain words */
    int natural;  /* read as a natural-language question */
} ms_qinfo;

/* The longest query in bytes, and the most words (runs of letters and
 * digits) it may hold: the work of a query grows with its size, so a larger
 * one is refused in either mode. */
#define MS_QUERY_MAX_BYTES 10000
#define MS_QUERY_MAX_WORDS 2000

/* Parse q. db (may be NULL) answers "is this word in the index" and gives
 * spelling suggestions. On success *out is the query, or NULL when q has
 * nothing to search for (only punctuation, say). A query over the limits
 * above fails (MS_EUSAGE, the message says which limit) in either mode. */
int ms_query_parse(const ms_env *env, const msx_db *db, const char *q, const ms_qopts *opts,
                   msx_query **out, ms_qinfo *info, ms_error *err);
void ms_qinfo_free(ms_qinfo *info);

/* The words spelling may correct to, as an index or a fuzzer holds them
 * (query/spelling.h). */
typedef struct ms_word_source ms_word_source;

/* ms_query_parse, with spelling's questions asked of words (NULL: no index,
 * nothing is corrected) instead of an index: for the fuzzer, which passes a
 * source held in memory. ms_query_parse(env, db, ...) is this with the
 * source that reads db (indexwords.h). */
int ms_query_parse_words(const ms_env *env, const ms_word_source *words, const char *q,
                         const ms_qopts *opts, msx_query **out, ms_qinfo *info, ms_error *err);

#endif
