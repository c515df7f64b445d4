/*
 * indexwords.c - what spelling (spelling.c) asks of the index, answered
 * from a Xapian database.
 *
 * The index holds each word as its stem, with the prefix Z; the passages'
 * text is in their passage records (record.h), in the value slot
 * MS_SLOT_PASSAGE. This file is the one place spelling's questions meet
 * that layout: how often a stem occurs, the stems with a first letter, and
 * the text of the passages that hold a stem.
 */
#include "query/indexwords.h"
#include "analysis/analyze.h"
#include "index/index.h"
#include "index/record.h"

#include <stdlib.h>
#include <string.h>

static msx_status doccount(void *ctx, unsigned *n, msx_error *e)
{
    return msx_db_doccount(ctx, n, e);
}

static msx_status freq(void *ctx, const char *s, size_t n, unsigned *f, msx_error *e)
{
    char buf[MS_TERM_MAX * 2 + 16];
    *f = 0;
    if (1 + n >= sizeof buf)
        return MSX_OK; /* no such term */
    buf[0] = 'Z';
    memcpy(buf + 1, s, n);
    return msx_db_termfreq(ctx, buf, 1 + n, f, e);
}

/* The caller's function, and its context, under a callback of the index. */
typedef struct each {
    int (*stem)(void *fctx, const char *s, size_t n, unsigned freq);
    int (*passage)(void *fctx, const char *const *text);
    void *fctx;
    const msx_db *db;
} each;

/* The stem term t[0..n) ("Z" and the stem) to the caller, as its stem. */
static int each_stem(void *ctx, const char *t, size_t n, unsigned freq)
{
    each *c = ctx;
    return c->stem(c->fctx, t + 1, n - 1, freq);
}

static msx_status stems(void *ctx, char letter,
                        int (*fn)(void *fctx, const char *s, size_t n, unsigned freq), void *fctx,
                        msx_error *e)
{
    char prefix[3] = {'Z', letter, '\0'};
    each c = {fn, NULL, fctx, ctx};
    return msx_db_allterms(ctx, prefix, each_stem, &c, e);
}

/* Decode the record of passage id into r (free it with ms_rec_free);
 * returns 0, or -1 when it cannot be read. */
static int read_passage(const msx_db *db, msx_docid id, ms_rec *r)
{
    msx_doc *doc = NULL;
    char *val = NULL;
    size_t vl = 0;
    int rc = -1;
    if (msx_db_get_document(db, id, &doc, NULL) == MSX_OK &&
        msx_doc_get_value(doc, MS_SLOT_PASSAGE, &val, &vl, NULL) == MSX_OK)
        rc = ms_rec_decode(val, vl, r);
    free(val);
    msx_doc_free(doc);
    return rc;
}

/* Passage id's title, heading and text to the caller. */
static int each_passage(void *ctx, msx_docid id)
{
    each *c = ctx;
    ms_rec r;
    if (read_passage(c->db, id, &r) != 0)
        return c->passage(c->fctx, NULL);
    const char *text[3] = {r.title, r.section, r.text};
    int stop = c->passage(c->fctx, text);
    ms_rec_free(&r);
    return stop;
}

static msx_status passages(void *ctx, const char *s, size_t n,
                           int (*fn)(void *fctx, const char *const *text), void *fctx, msx_error *e)
{
    char term[MS_TERM_MAX + 2];
    if (n > MS_TERM_MAX)
        return MSX_OK; /* no such term: the index's are cut to MS_TERM_MAX */
    term[0] = 'Z';
    memcpy(term + 1, s, n);
    each c = {NULL, fn, fctx, ctx};
    return msx_db_postings(ctx, term, n + 1, each_passage, &c, e);
}

ms_word_source ms_index_words(const msx_db *db)
{
    return (ms_word_source){(void *)db, doccount, freq, stems, passages};
}
