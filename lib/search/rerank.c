/*
 * search/rerank.c - the ranking: BM25's parameters, and re-ranking its top.
 *
 * BM25 over passages cannot see what a passage is about, only which words
 * it holds. So Xapian's top matches are re-ranked here by what medquery
 * reads anyway: how much of the article's title and the section's heading
 * the query covers, whether the heading fits the question type ("causes",
 * "treatment"), and, for the very top, how close together the query's
 * words stand. Every weight that was tuned lives in base/tuning.h, with
 * the bench that chose it; the matching itself is mark.c's.
 */
#include "search/rerank.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/tuning.h"
#include "base/util.h"
#include "index/index.h"
#include "search/searcher.h"

void ms_search_opts_default(ms_search_opts *o)
{
    memset(o, 0, sizeof *o);
    o->limit = 10;
    o->per_article = PER_ARTICLE;
    o->snippet_words = 30;
    o->k1 = BM25_K1;
    o->b = BM25_B;
    o->q.expand = 1;
    o->q.spelling = 1;
}

/* How many of the heading words that fit the question's types
 * (ms_qinfo.heads) the marked heading mk holds. */
static double heading_fit(const ms_env *env, const ms_qinfo *info, const ms_marked *mk)
{
    double sum = 0;
    unsigned long long seen = 0; /* heads counted (the first 64) */
    char stem[MS_TERM_MAX + 8];
    for (size_t j = 0; j < mk->np; j++) {
        const ms_token *k = &mk->t.v[mk->prim[j]];
        const char *s = ms_token_term(&mk->t, k);
        size_t sl = k->len;
        if (!ms_is_stopword(s, sl) && !(k->flags & (MS_TOK_NUMBER | MS_TOK_CJK))) {
            sl = ms_analyzer_stem(env->an, s, sl, stem, sizeof stem);
            s = stem;
        }
        for (size_t h = 0; h < info->n_heads && h < 64; h++)
            if (!(seen >> h & 1) && strncmp(info->heads[h].word, s, sl) == 0 &&
                info->heads[h].word[sl] == '\0') {
                seen |= 1ull << h;
                sum += info->heads[h].weight;
            }
    }
    return sum;
}

/* The share of a title's or heading's content words that the query matched
 * (0..1): a passage whose article is about exactly what was asked ranks
 * above one about a subtype or a neighbour ("Ehlers-Danlos syndrome" above
 * "Ehlers-Danlos syndrome, vascular type"), and a section whose heading is
 * the question above one that merely mentions its words. */
static double coverage(const ms_env *env, const ms_qinfo *info, ms_marked *mk, const char *title)
{
    ms_mark(env, info, NULL, title, strlen(title), mk);
    size_t words = 0, hit = 0;
    for (size_t j = 0; j < mk->np; j++) {
        const ms_token *k = &mk->t.v[mk->prim[j]];
        if (ms_is_stopword(ms_token_term(&mk->t, k), k->len))
            continue;
        words++;
        hit += mk->match[j] != 0;
    }
    return words ? (double)hit / (double)words : 0.0;
}

/* How many of the query's adjacent word pairs ("blood ... stool") occur
 * within PROX_WINDOW words of each other in the marked text, as a share of
 * the pairs (0..1). */
static double proximity(const ms_env *env, const ms_qinfo *info, const ms_marked *mk)
{
    size_t nq = info->n_stems;
    if (nq < 2)
        return 0;
    size_t *last = ms_xrealloc(NULL, nq * sizeof *last);
    unsigned char *found = ms_xrealloc(NULL, nq);
    memset(found, 0, nq);
    for (size_t k = 0; k < nq; k++)
        last[k] = (size_t)-1;
    char stem[MS_TERM_MAX + 8];
    for (size_t j = 0; j < mk->np; j++) {
        if (!mk->match[j]) /* (an entity's words carry its id: check them too) */
            continue;
        const ms_token *t = &mk->t.v[mk->prim[j]];
        size_t sl = ms_analyzer_stem(env->an, ms_token_term(&mk->t, t), t->len, stem, sizeof stem);
        size_t k = 0;
        while (k < nq && !(strlen(info->stems[k]) == sl && memcmp(info->stems[k], stem, sl) == 0))
            k++;
        if (k == nq)
            continue;
        if (k > 0 && last[k - 1] != (size_t)-1 && j - last[k - 1] <= PROX_WINDOW)
            found[k - 1] = 1;
        if (k + 1 < nq && last[k + 1] != (size_t)-1 && j - last[k + 1] <= PROX_WINDOW)
            found[k] = 1;
        last[k] = j;
    }
    size_t pairs = 0;
    for (size_t k = 0; k + 1 < nq; k++)
        pairs += found[k];
    free(found);
    free(last);
    return (double)pairs / (double)(nq - 1);
}

static int append_term(void *ctx, const char *t, size_t len)
{
    ms_sbuf *b = ctx;
    if (b->n)
        ms_sb_put(b, " ", 1);
    ms_sb_put(b, t, len);
    ms_sb_room(b, 0)[0] = '\0';
    return 0;
}

/* The query terms that docid matched, space-separated. */
static char *matched_terms(const msx_enquire *enq, msx_docid docid)
{
    ms_sbuf b = {0};
    msx_enquire_matching_terms(enq, docid, append_term, &b, NULL);
    return b.p ? b.p : strdup("");
}

/* The titles or headings already scored in one search (an article's
 * passages share its title), with their coverage and heading fit. */
typedef struct memo {
    char **s;
    double *cover, *fit;
    size_t n;
} memo;

/* The coverage of s if it was scored before (with its fit in *fit), else -1.
 * A hit frees *str (a copy of s). */
static double memo_get(const memo *mm, const char *s, char **str, double *fit)
{
    for (size_t i = 0; i < mm->n; i++)
        if (strcmp(mm->s[i], s) == 0) {
            free(*str);
            *str = NULL;
            if (fit)
                *fit = mm->fit[i];
            return mm->cover[i];
        }
    return -1;
}

/* Keep *str (taken over) with its scores; returns cover. */
static double memo_put(memo *mm, char **str, double cover, double fit)
{
    mm->s = ms_xrealloc(mm->s, (mm->n + 1) * sizeof *mm->s);
    mm->cover = ms_xrealloc(mm->cover, (mm->n + 1) * sizeof *mm->cover);
    mm->fit = ms_xrealloc(mm->fit, (mm->n + 1) * sizeof *mm->fit);
    mm->s[mm->n] = *str;
    mm->cover[mm->n] = cover;
    mm->fit[mm->n++] = fit;
    *str = NULL;
    return cover;
}

static void memo_free(memo *mm)
{
    for (size_t i = 0; i < mm->n; i++)
        free(mm->s[i]);
    free(mm->s);
    free(mm->cover);
    free(mm->fit);
}

/* For --explain: the query terms that docid matched, and what made its score. */
char *ms_rerank_explain(const msx_enquire *enq, msx_docid docid, const ms_ranked *rk)
{
    char *terms = matched_terms(enq, docid);
    const char *fmt = "%s; bm25 %.4f, heading fit %.0f, title coverage %.2f, section coverage "
                      "%.2f, proximity %.2f";
    int n = snprintf(NULL, 0, fmt, terms, rk->bm25, rk->heading, rk->title, rk->section, rk->prox);
    char *out = ms_xrealloc(NULL, (size_t)(n > 0 ? n : 0) + 1);
    snprintf(out, (size_t)(n > 0 ? n : 0) + 1, fmt, terms, rk->bm25, rk->heading, rk->title,
             rk->section, rk->prox);
    free(terms);
    return out;
}

typedef struct docid_at {
    msx_docid did;
    unsigned i;
} docid_at;

static int cmp_docid(const void *a, const void *b)
{
    const docid_at *x = a, *y = b;
    return x->did < y->did ? -1 : x->did > y->did;
}

/* The numbers 0..n-1 in the order of the docids of the mset items they
 * stand for: rk[i].i, or i itself when rk is NULL. */
unsigned *ms_ranked_by_docid(const msx_mset *m, const ms_ranked *rk, unsigned n)
{
    docid_at *d = ms_xrealloc(NULL, (n + 1) * sizeof *d);
    for (unsigned i = 0; i < n; i++)
        d[i] = (docid_at){msx_mset_docid(m, rk ? rk[i].i : i), i};
    qsort(d, n, sizeof *d, cmp_docid);
    unsigned *order = ms_xrealloc(NULL, (n + 1) * sizeof *order);
    for (unsigned i = 0; i < n; i++)
        order[i] = d[i].i;
    free(d);
    return order;
}

int ms_ranked_cmp(const void *a, const void *b)
{
    const ms_ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->i < y->i ? -1 : x->i > y->i;
}

unsigned ms_rerank_depth(unsigned wanted)
{
    return wanted < RERANK_DEPTH ? RERANK_DEPTH : wanted;
}

int ms_rerank(const msx_mset *m, const ms_env *env, const ms_qinfo *info, ms_marked *scratch,
              const char *path, ms_ranked *rk, int *modified, ms_error *err)
{
    unsigned n = msx_mset_size(m);
    memo titles = {0}, sections = {0};
    msx_error xe;
    int rc = 0;
    /* read in docid order: a passage's neighbours (often of the same
       article) keep their values in the same place of the index */
    unsigned *order = ms_ranked_by_docid(m, NULL, n);
    for (unsigned oi = 0; oi < n && rc == 0; oi++) {
        unsigned i = order[oi];
        if (i >= RERANK_DEPTH) {
            /* below the re-ranked top, BM25 alone: the re-ranking never
               depends on how many results are asked for, so pages are
               slices of one list (and its scores only fall: a bonus only
               raises a score) */
            double w = msx_mset_weight(m, i);
            rk[i] = (ms_ranked){i, w, w, 0, 0, 0, 0, 0};
            continue;
        }
        msx_doc *doc = NULL;
        char *heads = NULL, *title = NULL, *section = NULL;
        size_t hl = 0;
        if (msx_mset_document(m, i, &doc, &xe) != MSX_OK ||
            msx_doc_get_value(doc, MS_SLOT_HEADS, &heads, &hl, &xe) != MSX_OK) {
            *modified |= ms_searcher_may_pass(xe.status);
            rc = ms_searcher_fail(err, path, &xe);
        }
        if (rc == 0) {
            /* title, NUL, section heading */
            size_t tl = strnlen(heads, hl);
            title = ms_xstrndup(heads, tl);
            section = tl < hl ? ms_xstrndup(heads + tl + 1, hl - tl - 1) : ms_xstrdup("");
            double tc = memo_get(&titles, title, &title, NULL);
            if (tc < 0)
                tc = memo_put(&titles, &title, coverage(env, info, scratch, title), 0);
            double hf;
            double sc = memo_get(&sections, section, &section, &hf);
            if (sc < 0) {
                sc = coverage(env, info, scratch, section);
                hf = info->n_heads ? heading_fit(env, info, scratch) : 0.0;
                memo_put(&sections, &section, sc, hf);
            }
            /* a heading that fits the question type counts only as much
               as the passage is about what was asked (half its title's or
               heading's words matched: in full): a "What causes ..."
               section of an unrelated article gains nothing */
            double focus = 2 * (tc > sc ? tc : sc);
            if (focus > 1)
                focus = 1;
            rk[i] = (ms_ranked){i,
                                msx_mset_weight(m, i) *
                                    (1.0 + TITLE_COVER_W * tc + SECTION_COVER_W * sc) *
                                    (1.0 + FIT_W * (hf > 0) * focus),
                                msx_mset_weight(m, i),
                                tc,
                                sc,
                                hf,
                                0,
                                0};
        }
        free(heads);
        free(title);
        free(section);
        msx_doc_free(doc);
    }
    free(order);
    memo_free(&titles);
    memo_free(&sections);
    if (rc == 0)
        qsort(rk, n, sizeof *rk, ms_ranked_cmp);
    return rc;
}

unsigned ms_rerank_prox_depth(unsigned n)
{
    return PROX_DEPTH < n ? PROX_DEPTH : n;
}

void ms_rerank_proximity(const ms_env *env, const ms_qinfo *info, const ms_marked *mk,
                         ms_ranked *rk)
{
    rk->prox = proximity(env, info, mk);
    rk->score *= 1.0 + PROX_W * rk->prox;
}

/* The section key of match i: a hash of its article id and its title and
 * heading (0 is never a key). Returns 0 with err set when the document
 * could not be read. */
static uint64_t section_key(const msx_mset *m, unsigned i, const char *path, int *modified,
                            ms_error *err)
{
    msx_doc *doc = NULL;
    char *article = NULL, *heads = NULL;
    size_t al = 0, hl = 0;
    msx_error xe;
    uint64_t key = 0;
    if (msx_mset_document(m, i, &doc, &xe) != MSX_OK ||
        msx_doc_get_value(doc, MS_SLOT_ARTICLE, &article, &al, &xe) != MSX_OK ||
        msx_doc_get_value(doc, MS_SLOT_HEADS, &heads, &hl, &xe) != MSX_OK) {
        *modified |= ms_searcher_may_pass(xe.status);
        ms_searcher_fail(err, path, &xe);
    } else {
        key = ms_fnv1a(ms_fnv1a(MS_FNV_BASIS, article, al + 1), heads, hl);
        key += key == 0;
    }
    free(article);
    free(heads);
    msx_doc_free(doc);
    return key;
}

int ms_rerank_distinct(const msx_mset *m, ms_ranked *rk, unsigned n, unsigned want,
                       const char *path, int *modified, ms_error *err)
{
    /* the keys kept so far, in an open-addressing set twice as big */
    size_t cap = 16;
    while (cap < 2 * (size_t)want)
        cap *= 2;
    uint64_t *seen = calloc(cap, sizeof *seen);
    if (!seen)
        return ms_fail(err, MS_ENOMEM, "out of memory");
    unsigned kept = 0;
    for (unsigned j = 0; j < n && kept < want; j++) {
        if (!rk[j].key && !(rk[j].key = section_key(m, rk[j].i, path, modified, err))) {
            free(seen);
            return -1;
        }
        size_t h = rk[j].key & (cap - 1);
        while (seen[h] && seen[h] != rk[j].key)
            h = (h + 1) & (cap - 1);
        if (seen[h])
            continue; /* a better passage of this section is in the list */
        seen[h] = rk[j].key;
        rk[kept++] = rk[j];
    }
    free(seen);
    return (int)kept;
}
