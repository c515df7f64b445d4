/*
 * query/spelling.h - corrections of misspelt query words (spelling.c), and
 * the word source they are chosen from.
 */
#ifndef MEDSEARCH_QUERY_SPELLING_H
#define MEDSEARCH_QUERY_SPELLING_H

#include <stddef.h>

#include "base/util.h"
#include "index/settings.h"
#include "query/query.h"
#include "xapian/xapian.h"

/* What spelling asks of an index, stems being the index's stemmed words
 * (without their prefix). The real source reads a Xapian index
 * (indexwords.c); the query fuzzer passes one held in memory. Each call
 * returns MSX_OK, or fails with *e set, and spelling then asks nothing
 * more: the parse fails with e's message. */
typedef struct ms_word_source {
    void *ctx; /* handed to each call */
    /* The number of passages. */
    msx_status (*doccount)(void *ctx, unsigned *n, msx_error *e);
    /* The number of passages that hold the stem s[0..n) (0: none). */
    msx_status (*freq)(void *ctx, const char *s, size_t n, unsigned *f, msx_error *e);
    /* fn on every stem that starts with the byte c, in byte order, with
     * its freq; stops when fn returns non-zero. */
    msx_status (*stems)(void *ctx, char c,
                        int (*fn)(void *fctx, const char *s, size_t n, unsigned freq), void *fctx,
                        msx_error *e);
    /* fn on the passages that hold the stem s[0..n), in the index's order,
     * with their title, heading and text (text NULL for a passage that
     * cannot be read); stops when fn returns non-zero. */
    msx_status (*passages)(void *ctx, const char *s, size_t n,
                           int (*fn)(void *fctx, const char *const *text), void *fctx,
                           msx_error *e);
} ms_word_source;

/* A correction: the bytes [start, end) of a text read as with. */
typedef struct ms_fix {
    size_t start, end;
    char *with;
} ms_fix;

/* The state of spelling through one parse. */
typedef struct ms_speller {
    const ms_env *env;
    const ms_word_source *src; /* NULL: no index, nothing is corrected */
    int on;                    /* corrections asked for (ms_qopts.spelling) */
    ms_spell_words *words;     /* the caller's stems (ms_qopts.words), or NULL */
    ms_spell_words *own;       /* this parse's own, when words is NULL */
    ms_fix *fix;               /* the corrections made, in the query's bytes */
    size_t n_fix;
    int failed;    /* a call of src failed: the parse is not to be trusted */
    msx_error err; /* (the first failure) */
} ms_speller;

/* The stem that corrects the query word word[0..wn) of stem stem[0..sn),
 * written to fix (MS_TERM_MAX + 1 bytes), and the word to show for it
 * written to shown (MS_TERM_MAX + 1 bytes); returns the stem's length, or
 * 0 when the word stays as it is. */
size_t ms_spell_word(ms_speller *sp, const char *word, size_t wn, const char *stem, size_t sn,
                     char *fix, char *shown);

/* Note that the query's bytes [start, end) are to read with instead, for
 * "did you mean"; returns the copy of with that the note keeps (the
 * speller's: not to free). */
char *ms_spell_note(ms_speller *sp, size_t start, size_t end, const char *with);

/* Forget the corrections noted (the query is parsed again). */
void ms_spell_forget(ms_speller *sp);

/* The query q with each noted correction put in its place (malloc'd). */
char *ms_spell_did_you_mean(ms_speller *sp, const char *q);

/* text[0..len) with each of the n corrections fix (in text order) put in
 * its place, into b. */
void ms_splice(ms_sbuf *b, const char *text, size_t len, const ms_fix *fix, size_t n);

/* Free what the speller holds (not src, env or words). */
void ms_speller_free(ms_speller *sp);

#endif
