/*
 * document.c - the Xapian documents of an article's passages.
 *
 * Each passage is one document. Its terms (prefixes after omega's
 * conventions; index.h lists them) are its words' stems with positions, and
 * the words without a stem as written, the title and section-heading words
 * again as field terms, the entities the lexicon finds, and boolean terms
 * for its path, article, source and format. Its values hold the article id
 * (the collapse key), the date, the source, the title and heading for the
 * re-ranker, and the passage record (record.c) with the passage text. What
 * the passages of an article share, its title and a long section's heading,
 * is analyzed and tagged once and added to each of them.
 */
#include "index/document.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/tuning.h"
#include "base/util.h"
#include "index/index.h"
#include "index/record.h"
#include "lexicon/lexicon.h"

/* One term of a document: with a position when pos > 0, boolean when wdf is 0. */
typedef struct term_op {
    uint32_t off; /* term bytes in terms.b */
    uint32_t len;
    uint32_t pos;
    uint32_t wdf;
} term_op;

/* An entity named in a field, for the passage record. */
typedef struct ent_ref {
    ms_entkind kind;
    uint32_t name;       /* NUL-terminated, in terms.b */
    uint32_t first, end; /* the primary tokens of the mention in its field */
} ent_ref;

/* The terms and entities of some fields, to be added to documents. What the
 * passages of an article share (the title and other names, and the heading
 * of a long section cut into several passages) is analyzed and tagged once,
 * then added to the document of each passage. */
typedef struct terms {
    ms_sbuf b; /* the term bytes, each with a NUL */
    term_op *v;
    size_t n, cap;
    /* the wdf-only terms so far, by hash (open addressing, index + 1 into
     * v; 0 free): a repeated one adds to its wdf, so that the document gets
     * one add_term per distinct term, not one per occurrence (Xapian looks
     * each call up in the document's map) */
    uint32_t *slot;
    size_t nslot, nwdf;
    ent_ref *e;
    size_t ne, ecap;
    size_t invalid; /* invalid UTF-8 bytes skipped */
    uint32_t end;   /* the position after the last token */
} terms;

static void terms_reset(terms *t)
{
    if (t->nwdf)
        memset(t->slot, 0, t->nslot * sizeof *t->slot);
    t->b.n = t->n = t->ne = t->invalid = t->nwdf = 0;
    t->end = 0;
}

static void terms_free(terms *t)
{
    free(t->b.p);
    free(t->v);
    free(t->e);
    free(t->slot);
}

/* Append s[0..n) and a NUL; returns the offset of s. */
static uint32_t terms_bytes(terms *t, const char *s, size_t n)
{
    uint32_t off = (uint32_t)t->b.n;
    ms_sb_put(&t->b, s, n);
    ms_sb_put(&t->b, "", 1);
    return off;
}

/* The slot of the wdf-only term s[0..n) in t->slot: its own, or the free
 * one where it goes. */
static size_t wdf_slot(const terms *t, const char *s, size_t n)
{
    size_t mask = t->nslot - 1;
    for (size_t i = (size_t)ms_fnv1a(MS_FNV_BASIS, s, n) & mask;; i = (i + 1) & mask) {
        uint32_t k = t->slot[i];
        if (!k || (t->v[k - 1].len == n && memcmp(t->b.p + t->v[k - 1].off, s, n) == 0))
            return i;
    }
}

/* Make room for one more wdf-only term: the table stays at most half full. */
static void wdf_grow(terms *t)
{
    if ((t->nwdf + 1) * 2 <= t->nslot)
        return;
    size_t old = t->nslot;
    uint32_t *was = t->slot;
    t->nslot = old ? old * 2 : 256;
    t->slot = ms_xrealloc(NULL, t->nslot * sizeof *t->slot);
    memset(t->slot, 0, t->nslot * sizeof *t->slot);
    for (size_t i = 0; i < old; i++)
        if (was[i]) {
            const term_op *k = &t->v[was[i] - 1];
            t->slot[wdf_slot(t, t->b.p + k->off, k->len)] = was[i];
        }
    free(was);
}

/* Add the term s[0..n): with a position when pos > 0, boolean when wdf is
 * 0. A wdf-only term that t already has adds wdf to that one's. */
static void terms_add(terms *t, const char *s, size_t n, uint32_t pos, unsigned wdf)
{
    if (!pos && wdf) {
        wdf_grow(t);
        size_t at = wdf_slot(t, s, n);
        if (t->slot[at]) {
            t->v[t->slot[at] - 1].wdf += wdf;
            return;
        }
        t->slot[at] = (uint32_t)t->n + 1;
        t->nwdf++;
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->v = ms_xrealloc(t->v, t->cap * sizeof *t->v);
    }
    t->v[t->n++] = (term_op){terms_bytes(t, s, n), (uint32_t)n, pos, wdf};
}

/* prefix + s[0..n) with extra within-document weight wdf - 1. */
static void add_term(terms *t, const char *prefix, const char *s, size_t n, uint32_t pos,
                     unsigned wdf)
{
    char term[MS_TERM_MAX * 2 + 16];
    size_t pl = strlen(prefix);
    if (pl + n >= sizeof term)
        return;
    memcpy(term, prefix, pl);
    memcpy(term + pl, s, n);
    terms_add(t, term, pl + n, pos, wdf);
}

static void put_terms(msx_doc *doc, const terms *t)
{
    for (size_t i = 0; i < t->n; i++) {
        const term_op *k = &t->v[i];
        const char *s = t->b.p + k->off;
        if (k->pos)
            msx_doc_add_posting(doc, s, k->len, k->pos, k->wdf, NULL);
        else if (k->wdf)
            msx_doc_add_term(doc, s, k->len, k->wdf, NULL);
        else
            msx_doc_add_boolean_term(doc, s, k->len, NULL);
    }
}

struct ms_builder {
    ms_env *env;
    ms_tokens toks;
    ms_entities ents;
    char stem[MS_TERM_MAX * 2 + 16];
    terms art;       /* title and other names, and the article's boolean terms */
    terms head;      /* the section heading head_text */
    char *head_text; /* NULL: none yet in this article */
    terms body;      /* the passage's text */
    int lang;        /* the article's language (ms_analyzer_language) */
    char src[256];   /* the folded source */
    size_t src_len;
    ms_sbuf rec;         /* the title and heading value, then the passage record */
    ms_rec_entity *seen; /* the entities listed in the record */
    size_t seen_cap;
    ms_rec_mention *men; /* and where the passage text names them */
    size_t men_cap;
    size_t invalid; /* invalid UTF-8 bytes in the current file's passages */
};

ms_builder *ms_builder_new(ms_env *env)
{
    ms_builder *b = ms_xrealloc(NULL, sizeof *b);
    memset(b, 0, sizeof *b);
    b->env = env;
    return b;
}

void ms_builder_free(ms_builder *b)
{
    if (!b)
        return;
    ms_tokens_free(&b->toks);
    ms_entities_free(&b->ents);
    terms_free(&b->art);
    terms_free(&b->head);
    terms_free(&b->body);
    free(b->head_text);
    free(b->rec.p);
    free(b->seen);
    free(b->men);
    free(b);
}

/* Add the tokens of b->toks to t as body terms (and, with field prefixes
 * fp/zp, as field terms too), with extra within-document weight wdf - 1. */
static void index_tokens(ms_builder *b, terms *t, const char *fp, const char *zp, unsigned wdf)
{
    const ms_tokens *tk = &b->toks;
    for (size_t i = 0; i < tk->n; i++) {
        const ms_token *k = &tk->v[i];
        const char *s = ms_token_term(tk, k);
        if (!ms_token_stemmed_in(b->env->an, b->lang, k, s)) {
            add_term(t, "", s, k->len, k->pos, wdf);
            if (fp)
                add_term(t, fp, s, k->len, 0, 1);
            continue;
        }
        size_t sl = ms_analyzer_stem_in(b->env->an, b->lang, s, k->len, b->stem, sizeof b->stem);
        add_term(t, "Z", b->stem, sl, k->pos, wdf);
        if (zp)
            add_term(t, zp, b->stem, sl, 0, 1);
        /* an abbreviation that stemming changes (EDS, ALS, IBS) is also
           held as written, so that a query in capitals can tell it from
           the word its stem shares (ed, al, ib) */
        if ((k->flags & MS_TOK_CAPS) && (sl != k->len || memcmp(b->stem, s, sl) != 0))
            add_term(t, "", s, k->len, 0, wdf);
    }
}

/* Add the entities found in b->toks (the tokens of text) to t. */
static void index_entities(ms_builder *b, terms *t, const char *text)
{
    b->ents.n = 0;
    ms_lexicon_tag(b->env->lex, text, &b->toks, &b->ents);
    for (size_t i = 0; i < b->ents.n; i++) {
        const ms_entity *e = &b->ents.v[i];
        const char *name = ms_entity_name(b->env->lex, e, &b->toks);
        char term[256];
        size_t tl = ms_entity_term(e->kind, name, term, sizeof term);
        terms_add(t, term, tl, 0, 1);
        if (t->ne == t->ecap) {
            t->ecap = t->ecap ? t->ecap * 2 : 16;
            t->e = ms_xrealloc(t->e, t->ecap * sizeof *t->e);
        }
        t->e[t->ne++] = (ent_ref){e->kind, terms_bytes(t, name, strlen(name)),
                                  (uint32_t)e->tok_first, (uint32_t)e->tok_end};
    }
}

/* Add the terms and entities of text[0..len), a field whose tokens start at
 * position pos, to t; returns the position after its last token. */
static uint32_t index_field(ms_builder *b, terms *t, const char *text, size_t len, uint32_t pos,
                            const char *fp, const char *zp, unsigned wdf)
{
    ms_tokens_reset(&b->toks);
    pos = ms_analyze(b->env->an, text, len, pos, &b->toks);
    t->invalid += b->toks.invalid_bytes;
    index_tokens(b, t, fp, zp, wdf);
    index_entities(b, t, text);
    return pos;
}

static void fold_id(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s + 32);
}

void ms_builder_article(ms_builder *b, const char *rel, const char *art_id, const ms_article *a)
{
    terms *t = &b->art;
    b->invalid = 0;
    terms_reset(t);
    b->lang =
        a->lang ? ms_analyzer_language(b->env->an, ms_language_of(a->lang, strlen(a->lang))) : 0;
    t->end = index_field(b, t, a->title, strlen(a->title), 1, "S", "ZS", TITLE_WDF);
    if (a->also_called)
        t->end = index_field(b, t, a->also_called, strlen(a->also_called), t->end + POS_GAP, "S",
                             "ZS", 1);
    free(b->head_text);
    b->head_text = NULL;

    char term[4300];
    terms_add(t, term, ms_path_term(rel, term, sizeof term), 0, 0);
    int tl = snprintf(term, sizeof term, "A%.200s", art_id);
    terms_add(t, term, (size_t)tl, 0, 0);
    b->src_len = 0;
    if (a->source) {
        b->src_len = ms_analyzer_fold(b->env->an, a->source, strlen(a->source), b->src, 200);
        b->src[b->src_len] = '\0';
        tl = snprintf(term, sizeof term, "XSRC%s", b->src);
        terms_add(t, term, (size_t)tl, 0, 0);
    }
    tl = snprintf(term, sizeof term, "XFMT%s", ms_format_name(a->format));
    terms_add(t, term, (size_t)tl, 0, 0);
    tl = snprintf(term, sizeof term, "%s%s", MS_LANG_PREFIX,
                  ms_analyzer_language_name(b->env->an, b->lang));
    terms_add(t, term, (size_t)tl, 0, 0);
}

/* List the entities of t in b->seen, each (kind and name) once; with
 * mentions, list where t names them in b->men too. */
static void record_entities(ms_builder *b, const terms *t, size_t *n_seen, size_t *n_men)
{
    for (size_t i = 0; i < t->ne; i++) {
        const ent_ref *e = &t->e[i];
        const char *name = t->b.p + e->name;
        size_t k = 0;
        while (k < *n_seen && (b->seen[k].kind != e->kind || strcmp(b->seen[k].name, name) != 0))
            k++;
        if (k == *n_seen) {
            if (*n_seen == b->seen_cap) {
                b->seen_cap = b->seen_cap ? b->seen_cap * 2 : 16;
                b->seen = ms_xrealloc(b->seen, b->seen_cap * sizeof *b->seen);
            }
            b->seen[(*n_seen)++] = (ms_rec_entity){e->kind, name};
        }
        if (n_men) {
            if (*n_men == b->men_cap) {
                b->men_cap = b->men_cap ? b->men_cap * 2 : 16;
                b->men = ms_xrealloc(b->men, b->men_cap * sizeof *b->men);
            }
            b->men[(*n_men)++] = (ms_rec_mention){(uint32_t)k, e->first, e->end};
        }
    }
}

msx_doc *ms_builder_passage(ms_builder *b, const char *rel, const char *art_id, const ms_article *a,
                            size_t pi)
{
    const ms_passage *p = &a->passages[pi];
    msx_doc *doc = msx_doc_new();
    if (!doc)
        return NULL;
    if (!b->head_text || strcmp(b->head_text, p->section) != 0) {
        terms_reset(&b->head);
        b->head.end = index_field(b, &b->head, p->section, strlen(p->section), b->art.end + POS_GAP,
                                  "XH", "ZXH", HEADING_WDF);
        free(b->head_text);
        b->head_text = ms_xstrdup(p->section);
    }
    terms_reset(&b->body);
    index_field(b, &b->body, p->text, p->text_len, b->head.end + POS_GAP, NULL, NULL, 1);
    b->invalid += b->art.invalid + b->head.invalid + b->body.invalid;
    put_terms(doc, &b->art);
    put_terms(doc, &b->head);
    put_terms(doc, &b->body);

    char term[4300];
    int tl = snprintf(term, sizeof term, "Q%s#%zu", rel, pi);
    if (tl > 240)
        tl = snprintf(term, sizeof term, "Q#%016llx#%zu",
                      (unsigned long long)ms_fnv1a(MS_FNV_BASIS, rel, strlen(rel)), pi);
    msx_doc_add_boolean_term(doc, term, (size_t)tl, NULL);
    if (a->source)
        msx_doc_set_value(doc, MS_SLOT_SOURCE, b->src, b->src_len, NULL);
    msx_doc_set_value(doc, MS_SLOT_ARTICLE, art_id, strlen(art_id), NULL);
    ms_sbuf *j = &b->rec;
    j->n = 0;
    ms_sb_put(j, a->title, strlen(a->title) + 1);
    ms_sb_put(j, p->section, strlen(p->section));
    msx_doc_set_value(doc, MS_SLOT_HEADS, j->p, j->n, NULL);
    if (a->date)
        msx_doc_set_value(doc, MS_SLOT_DATE, a->date, strlen(a->date), NULL);

    /* the record with the passage text, in a value: no deflate for it */
    size_t n_seen = 0, n_men = 0;
    record_entities(b, &b->art, &n_seen, NULL);
    record_entities(b, &b->head, &n_seen, NULL);
    record_entities(b, &b->body, &n_seen, &n_men);
    ms_rec r = {.path = rel,
                .article = art_id,
                .title = a->title,
                .section = p->section,
                .source = a->source,
                .url = a->url,
                .date = a->date,
                .date_text = a->date_text,
                .author = a->author,
                .start = (long long)p->start,
                .end = (long long)p->end,
                .line = (long long)p->line,
                .ents = b->seen,
                .n_ents = n_seen,
                .mentions = b->men,
                .n_mentions = n_men,
                .text = p->text,
                .text_len = p->text_len};
    j->n = 0;
    ms_rec_encode(&r, &j->p, &j->n, &j->cap);
    msx_doc_set_value(doc, MS_SLOT_PASSAGE, j->p, j->n, NULL);
    return doc;
}

size_t ms_builder_invalid(const ms_builder *b)
{
    return b->invalid;
}

void ms_article_id(const ms_article *a, const char *rel, char *out, size_t cap)
{
    if (a->id && a->id[0]) {
        snprintf(out, cap, "%s", a->id);
        return;
    }
    snprintf(out, cap, "%s", rel);
    char *dot = strrchr(out, '.');
    char *slash = strrchr(out, '/');
    if (dot && (!slash || dot > slash))
        *dot = '\0';
    fold_id(out);
}

size_t ms_path_term(const char *rel, char *term, size_t cap)
{
    int tl = snprintf(term, cap, "P%s", rel);
    if (tl > 240)
        tl = snprintf(term, cap, "P#%016llx",
                      (unsigned long long)ms_fnv1a(MS_FNV_BASIS, rel, strlen(rel)));
    return (size_t)tl;
}
