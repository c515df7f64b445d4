/*
 * query.c - the query parser's entry point: what a person types -> a Xapian
 * query (medsearch/query.h).
 *
 * Two passes. The lexer (lexer.c) cuts the string into items (words,
 * phrases, fields, operators) in one of two modes: operator mode, where
 * AND/OR/NOT/NEAR, parentheses and +/- prefixes are syntax, and natural
 * mode, chosen for queries that read as sentences (question.c), where only
 * quotes and fields are syntax. The recursive-descent parser (parser.c)
 * then builds the Xapian query directly. Juxtaposed plain words are
 * gathered into one free-text run (freetext.c), which gets the treatment of
 * a question: stopwords and filler dropped, negated symptoms left out
 * (negation.c), entities expanded, misspellings corrected (spelling.c), the
 * question type noted. A syntax error re-reads the whole string in natural
 * mode, so no input loses its query; strict mode fails instead.
 *
 * Here: the size limits, that fallback, the refusal of unknown names in
 * strict mode, and the one place a failed read of the index becomes an
 * error of the parse.
 */
#include "query/query.h"
#include "query/indexwords.h"
#include "query/parser.h"
#include "query/question.h"
#include "query/spelling.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Whether q is within MS_QUERY_MAX_BYTES and MS_QUERY_MAX_WORDS; else fails. */
static int check_size(const char *q, ms_error *err)
{
    size_t len = strlen(q);
    if (len > MS_QUERY_MAX_BYTES)
        return ms_fail(err, MS_EUSAGE, "query too long (%zu bytes, limit %d)", len,
                       MS_QUERY_MAX_BYTES);
    size_t words = 0;
    int in_word = 0;
    for (const unsigned char *s = (const unsigned char *)q; *s; s++) {
        int w = isalnum(*s) || *s >= 0x80;
        words += w && !in_word;
        in_word = w;
    }
    if (words > MS_QUERY_MAX_WORDS)
        return ms_fail(err, MS_EUSAGE, "query has too many words (%zu, limit %d)", words,
                       MS_QUERY_MAX_WORDS);
    return 0;
}

int ms_query_parse_words(const ms_env *env, const ms_word_source *words, const char *q,
                         const ms_qopts *opts, msx_query **out, ms_qinfo *info, ms_error *err)
{
    memset(info, 0, sizeof *info);
    *out = NULL;
    if (check_size(q, err) < 0)
        return -1;
    ms_qparser p = {.c = {.env = env, .opts = opts, .info = info, .q0 = q}};
    p.c.spell = (ms_speller){.env = env, .src = words, .on = opts->spelling, .words = opts->words};
    ms_tokens_init(&p.c.toks);
    ms_entities_init(&p.c.ents);
    p.c.natural = ms_reads_natural(q);
    msx_query *r = ms_qparse(&p, q);
    int rc = 0;
    if (p.lx.error) {
        msx_query_free(r);
        r = NULL;
        if (opts->strict) {
            rc = ms_fail(err, MS_EUSAGE, "query syntax: %s", p.lx.errmsg);
            ms_qinfo_free(info); /* a failed parse leaves nothing to free */
        } else {
            ms_qinfo_free(info);
            info->fallback = 1;
            p.lx.error = 0;
            p.c.natural = 1;
            ms_spell_forget(&p.c.spell);
            r = ms_qparse(&p, q);
        }
    }
    info->natural = p.c.natural;
    /* names the query used that are no field, or no entity of the
       lexicon: refused in strict mode, else handed on to be said */
    if (rc == 0 && opts->strict && (p.lx.unknown_field || p.unknown_entity)) {
        if (p.lx.unknown_field)
            rc = ms_fail(err, MS_EUSAGE,
                         "query syntax: unknown field '%s:' (fields: title, section, source, "
                         "drug, symptom, condition)",
                         p.lx.unknown_field);
        else
            rc = ms_fail(err, MS_EUSAGE, "query syntax: %s: not in the lexicon", p.unknown_entity);
        msx_query_free(r);
        r = NULL;
        ms_qinfo_free(info);
    } else if (rc == 0) {
        info->unknown_field = p.lx.unknown_field;
        info->unknown_entity = p.unknown_entity;
        p.lx.unknown_field = p.unknown_entity = NULL;
    }
    if (rc == 0 && p.c.spell.failed) {
        /* a shard that does not answer is not a change of the index */
        const msx_error *dbe = &p.c.spell.err;
        rc = ms_fail(err, dbe->status == MSX_NETWORK ? MS_ESHARD : MS_ECHANGED,
                     "the index could not be read: %s", dbe->msg);
        msx_query_free(r);
    }
    if (rc == 0 && p.c.spell.n_fix)
        info->did_you_mean = ms_spell_did_you_mean(&p.c.spell, q);
    *out = rc == 0 ? r : NULL;
    free(p.lx.it);
    ms_speller_free(&p.c.spell);
    free(p.lx.unknown_field);
    free(p.unknown_entity);
    ms_tokens_free(&p.c.toks);
    ms_entities_free(&p.c.ents);
    return rc;
}

int ms_query_parse(const ms_env *env, const msx_db *db, const char *q, const ms_qopts *opts,
                   msx_query **out, ms_qinfo *info, ms_error *err)
{
    ms_word_source words;
    if (db)
        words = ms_index_words(db);
    return ms_query_parse_words(env, db ? &words : NULL, q, opts, out, info, err);
}
