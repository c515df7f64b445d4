/*
 * spelling.c - corrections of query words that the index does not know.
 *
 * A word is corrected when its stem is missing from the index, or rare
 * there while none of the first passages holding it writes the word so.
 * The candidates are the index's own stems (and the lexicon's names, for a
 * drug the corpus never names), so suggestions follow the corpus as
 * documents come and go, and work over remote shards too. Words of the
 * English and medical word lists (dictionary.c) are never corrected.
 *
 * Spelling reads the index only through a word source (spelling.h): the
 * real one reads Xapian (indexwords.c), and the query fuzzer passes one held
 * in memory, so that this code is fuzzed with the parser. The corrections
 * made are noted here too, for the "did you mean" line.
 */
#include "query/spelling.h"
#include "analysis/analyze.h"
#include "base/util.h"
#include "lexicon/lexicon.h"
#include "query/dictionary.h"

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The thresholds of spelling (bench/spelling/run measures their effect on
 * MedQuAD). Passages read to tell how a query word is written in the
 * index. */
#define SPELL_DOCS 4
/* A stem held by more passages than this is taken to be spelt right. */
#define SPELL_RARE 20

/* Note that q0[start, end) is to read with instead, for "did you mean". */
char *ms_spell_note(ms_speller *sp, size_t start, size_t end, const char *with)
{
    sp->fix = ms_xrealloc(sp->fix, (sp->n_fix + 1) * sizeof *sp->fix);
    sp->fix[sp->n_fix++] = (ms_fix){start, end, ms_xstrdup(with)};
    return sp->fix[sp->n_fix - 1].with;
}

void ms_spell_forget(ms_speller *sp)
{
    for (size_t i = 0; i < sp->n_fix; i++)
        free(sp->fix[i].with);
    sp->n_fix = 0;
}

static int by_start(const void *a, const void *b)
{
    const ms_fix *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* text[0..len) with each of the n corrections fix (in text order) put in
 * its place, malloc'd into b; a correction overlapping the one before (the
 * same word met twice) is skipped. */
void ms_splice(ms_sbuf *b, const char *text, size_t len, const ms_fix *fix, size_t n)
{
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (fix[i].start < at)
            continue;
        ms_sb_put(b, text + at, fix[i].start - at);
        ms_sb_put(b, fix[i].with, strlen(fix[i].with));
        at = fix[i].end;
    }
    ms_sb_put(b, text + at, len - at);
    ms_sb_room(b, 0)[0] = '\0';
}

/* The query as given with each correction put in its place (malloc'd):
 * running it searches what the corrected query searched. */
char *ms_spell_did_you_mean(ms_speller *sp, const char *q)
{
    qsort(sp->fix, sp->n_fix, sizeof *sp->fix, by_start);
    ms_sbuf b = {0};
    ms_splice(&b, q, strlen(q), sp->fix, sp->n_fix);
    return b.p;
}

/* Optimal string alignment distance of a and b, or max + 1 when it exceeds
 * max (the rows stop early once every cell does). */
static unsigned edit_distance(const char *a, size_t n, const char *b, size_t m, unsigned max)
{
    unsigned rows[3][MS_TERM_MAX + 2];
    unsigned *pp = rows[0], *p = rows[1], *c = rows[2];
    for (size_t j = 0; j <= m; j++)
        p[j] = (unsigned)j;
    for (size_t i = 1; i <= n; i++) {
        c[0] = (unsigned)i;
        unsigned lo = c[0];
        for (size_t j = 1; j <= m; j++) {
            unsigned cost = a[i - 1] != b[j - 1];
            unsigned v = p[j - 1] + cost;
            if (p[j] + 1 < v)
                v = p[j] + 1;
            if (c[j - 1] + 1 < v)
                v = c[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            c[j] = v;
            if (v < lo)
                lo = v;
        }
        if (lo > max)
            return max + 1;
        unsigned *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[m];
}

typedef struct spell_ctx {
    const char *word;
    size_t len;
    unsigned best_dist, best_freq;
    uint32_t letters; /* of word: see letter_set */
    char best[MS_TERM_MAX + 1];
} spell_ctx;

/* Whether t[0..n) can be a correction: lower-case ASCII letters only. */
static int plain_word(const char *t, size_t n)
{
    if (n > MS_TERM_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(t[i] >= 'a' && t[i] <= 'z'))
            return 0;
    return 1;
}

/* The set of letters in the plain word t[0..n), a bit each. An edit adds
 * or removes at most two letters of the set (a substitution: one of each),
 * so words whose sets differ in more than 2d letters are more than d edits
 * apart: most candidates are ruled out without an alignment. */
static uint32_t letter_set(const char *t, size_t n)
{
    uint32_t m = 0;
    for (size_t i = 0; i < n; i++)
        m |= 1u << (t[i] - 'a');
    return m;
}

static void spell_candidate(spell_ctx *c, const char *t, size_t n, unsigned freq, uint32_t letters)
{
    if (n + 2 < c->len || n > c->len + 2 ||
        (unsigned)__builtin_popcount(letters ^ c->letters) > 2 * c->best_dist)
        return;
    unsigned d = edit_distance(c->word, c->len, t, n, c->best_dist);
    if (d < c->best_dist || (d == c->best_dist && d <= 2 && freq > c->best_freq)) {
        c->best_dist = d;
        c->best_freq = freq;
        memcpy(c->best, t, n);
        c->best[n] = '\0';
    }
}

/* A plain stem of the index, listed for spelling. */
typedef struct spell_stem {
    uint32_t off;     /* NUL-terminated, in letter_words.buf */
    uint32_t len;     /* bytes */
    unsigned freq;    /* passages that hold it */
    uint32_t letters; /* letter_set */
} spell_stem;

/* The plain stems of one first letter, the most frequent first. */
typedef struct letter_words {
    int listed;
    ms_sbuf buf; /* the stems, each NUL-terminated */
    spell_stem *v;
    size_t n, ncap;
} letter_words;

struct ms_spell_words {
    letter_words letter[26];
};

ms_spell_words *ms_spell_words_new(void)
{
    ms_spell_words *w = ms_xrealloc(NULL, sizeof *w);
    memset(w, 0, sizeof *w);
    return w;
}

void ms_spell_words_clear(ms_spell_words *w)
{
    if (!w)
        return;
    for (int i = 0; i < 26; i++) {
        letter_words *l = &w->letter[i];
        free(l->buf.p);
        free(l->v);
        memset(l, 0, sizeof *l);
    }
}

void ms_spell_words_free(ms_spell_words *w)
{
    ms_spell_words_clear(w);
    free(w);
}

/* List the stem t[0..n) in ctx, a letter_words. */
static int keep_stem(void *ctx, const char *t, size_t n, unsigned freq)
{
    letter_words *l = ctx;
    if (!plain_word(t, n))
        return 0;
    if (l->n == l->ncap) {
        l->ncap = l->ncap ? l->ncap * 2 : 256;
        l->v = ms_xrealloc(l->v, l->ncap * sizeof *l->v);
    }
    l->v[l->n++] = (spell_stem){(uint32_t)l->buf.n, (uint32_t)n, freq, letter_set(t, n)};
    ms_sb_put(&l->buf, t, n);
    ms_sb_put(&l->buf, "", 1);
    return 0;
}

/* The most frequent first; equals in the index's (alphabetical) order. */
static int by_freq(const void *a, const void *b)
{
    const spell_stem *x = a, *y = b;
    if (x->freq != y->freq)
        return x->freq < y->freq ? 1 : -1;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* A correction of the stem of a query word, or 0: the most frequent stem of
 * the index within two edits (one for words shorter than six letters) that
 * starts with the same letter and occurs in at least min_freq passages,
 * written to out (MS_TERM_MAX + 1 bytes); returns its length. The
 * candidates are the index's own terms, so suggestions follow the corpus as
 * documents come and go, and work over remote shards too. */
static size_t correction(ms_speller *sp, size_t wn, const char *stem, size_t sn, unsigned min_freq,
                         char *out)
{
    if (sn == 0 || sp->failed || !plain_word(stem, sn))
        return 0;
    spell_ctx c = {stem, sn, wn < 6 ? 1 : 2, 0, letter_set(stem, sn), ""};
    ms_spell_words *w = sp->words;
    if (!w)
        w = sp->own ? sp->own : (sp->own = ms_spell_words_new());
    letter_words *l = &w->letter[stem[0] - 'a'];
    if (!l->listed) {
        if (sp->src->stems(sp->src->ctx, stem[0], keep_stem, l, &sp->err) != MSX_OK) {
            ms_spell_words_clear(w); /* a partial list would miss words */
            sp->failed = 1;
            return 0;
        }
        if (l->n)
            qsort(l->v, l->n, sizeof *l->v, by_freq);
        l->listed = 1;
    }
    for (size_t i = 0; i < l->n && l->v[i].freq >= min_freq; i++)
        spell_candidate(&c, l->buf.p + l->v[i].off, l->v[i].len, l->v[i].freq, l->v[i].letters);
    size_t n = strlen(c.best);
    memcpy(out, c.best, n + 1);
    return n;
}

/* The passages that hold the stem s[0..n) (0 after a failure). */
static unsigned stem_freq(ms_speller *sp, const char *s, size_t n)
{
    unsigned f = 0;
    if (!sp->src || sp->failed)
        return 0; /* (after a failed read, the parse is done again or given up) */
    if (sp->src->freq(sp->src->ctx, s, n, &f, &sp->err) != MSX_OK)
        sp->failed = 1;
    return f;
}

/* Run fn over the passages that hold the stem stem[0..sn) (see
 * ms_word_source.passages). */
static void stem_passages(ms_speller *sp, const char *stem, size_t sn,
                          int (*fn)(void *ctx, const char *const *text), void *ctx)
{
    if (sp->failed)
        return;
    if (sp->src->passages(sp->src->ctx, stem, sn, fn, ctx, &sp->err) != MSX_OK)
        sp->failed = 1;
}

/* Where a passage's words are read for spelling: the passages holding a
 * stem, and the query word whose written forms are sought. */
typedef struct forms_ctx {
    ms_speller *sp;
    const char *stem, *word;
    size_t sn, wn;
    unsigned docs; /* passages read so far */
    unsigned best; /* edit distance of out to word (UINT_MAX: none) */
    char out[MS_TERM_MAX + 1];
    ms_tokens toks;
} forms_ctx;

/* Read the words of a passage (text: its title, heading and text) that
 * stem to f->stem, keeping the one closest to f->word. Stops once one is
 * found. */
static int read_forms(void *ctx, const char *const *parts)
{
    forms_ctx *f = ctx;
    if (parts) {
        char st[MS_TERM_MAX + 8];
        for (int i = 0; i < 3; i++) {
            ms_tokens_reset(&f->toks);
            ms_analyze(f->sp->env->an, parts[i], strlen(parts[i]), 1, &f->toks);
            for (size_t j = 0; j < f->toks.n; j++) {
                const ms_token *k = &f->toks.v[j];
                const char *s = ms_token_term(&f->toks, k);
                if (!ms_token_stemmed(k, s) || k->len > MS_TERM_MAX)
                    continue;
                size_t sl = ms_analyzer_stem(f->sp->env->an, s, k->len, st, sizeof st);
                if (sl != f->sn || memcmp(st, f->stem, sl) != 0)
                    continue;
                unsigned d = edit_distance(f->word, f->wn, s, k->len, MS_TERM_MAX);
                if (d < f->best) {
                    f->best = d;
                    memcpy(f->out, s, k->len);
                    f->out[k->len] = '\0';
                }
            }
        }
    }
    return ++f->docs >= SPELL_DOCS || f->best != UINT_MAX;
}

/* How stem is written (the index holds stems, "did you mean" shows words):
 * the form closest to word in the first passage (of SPELL_DOCS) that has it,
 * copied to out (MS_TERM_MAX + 1 bytes); returns its edit distance to word,
 * UINT_MAX when none was read. */
static unsigned written_form(ms_speller *sp, const char *stem, size_t sn, const char *word,
                             size_t wn, char *out)
{
    forms_ctx f = {sp, stem, word, sn, wn, 0, UINT_MAX, "", {0}};
    ms_tokens_init(&f.toks);
    stem_passages(sp, stem, sn, read_forms, &f);
    ms_tokens_free(&f.toks);
    memcpy(out, f.out, strlen(f.out) + 1);
    return f.best;
}

/* Whether the plain word w[0..n) stands in text as a word of its own, in
 * any case. */
static int writes_word(const char *text, const char *w, size_t n)
{
    for (const char *s = text; *s; s++) {
        if ((*s | 0x20) != w[0] || (s > text && isalnum((unsigned char)s[-1])))
            continue;
        size_t i = 1;
        while (i < n && s[i] && (s[i] | 0x20) == w[i])
            i++;
        if (i == n && !isalnum((unsigned char)s[n]))
            return 1;
    }
    return 0;
}

typedef struct shows_ctx {
    const char *word;
    size_t wn;
    unsigned docs;
    int found;
} shows_ctx;

/* Whether a passage (text: its title, heading and text) writes c->word. */
static int shows_word(void *ctx, const char *const *text)
{
    shows_ctx *c = ctx;
    if (text)
        c->found = writes_word(text[0], c->word, c->wn) || writes_word(text[1], c->word, c->wn) ||
                   writes_word(text[2], c->word, c->wn);
    return c->found || ++c->docs >= SPELL_DOCS;
}

/* The stem that corrects the query word word[0..wn) of stem stem[0..sn), or
 * 0 (written to out, MS_TERM_MAX + 1 bytes; returns its length). The index
 * holds stems, not words: a word is corrected when its stem is missing, or
 * rare next to a close one while none of the first passages holding it
 * writes the word so ("migrane" stems like "migrans", but means "migraine"). */
static size_t misspelt(ms_speller *sp, const char *word, size_t wn, const char *stem, size_t sn,
                       char *out)
{
    if (!sp->src || sp->failed || !sp->on || wn < 4 || !plain_word(word, wn))
        return 0; /* numbers, doses and other scripts are never rewritten */
    unsigned sf = stem_freq(sp, stem, sn), docs = 0;
    if (sf > SPELL_RARE)
        return 0;
    if (!sp->failed && sp->src->doccount(sp->src->ctx, &docs, &sp->err) != MSX_OK)
        sp->failed = 1;
    if (sp->failed || (sf && 10 * sf > docs))
        return 0;
    if (sf) {
        shows_ctx c = {word, wn, 0, 0};
        stem_passages(sp, stem, sn, shows_word, &c);
        if (c.found)
            return 0;
    }
    size_t fl = correction(sp, wn, stem, sn, sf ? 10 * sf : 2, out);
    /* a correct word that the index happens not to hold stays (asked last:
       opening the dictionaries is the dearest step, and few words get here) */
    return fl && ms_dict_knows(word, wn) ? 0 : fl;
}

/* A correction of word[0..wn) from the lexicon's one-word names, brands and
 * aliases (written to out, MS_TERM_MAX + 1 bytes; returns its length, or 0):
 * for a word whose stem the index lacks, so that a misspelt drug the corpus
 * never names ("zyrtek") still finds its generic through the lexicon. The
 * closest within 1 edit (under 6 letters), 2 (under 10) or 3; its first
 * letter may differ. A tie between two names is no correction. */
static size_t lexicon_correction(const ms_speller *sp, const char *word, size_t wn, char *out)
{
    if (wn < 5 || !plain_word(word, wn))
        return 0;
    unsigned max = wn < 6 ? 1 : wn < 10 ? 2 : 3, best = max + 1;
    const char *pick = NULL;
    int tie = 0;
    const ms_lexicon *lx = sp->env->lex;
    for (size_t e = 0, n = ms_lexicon_size(lx); e < n; e++) {
        for (size_t f = 0, nf = ms_lexicon_entry_n_forms(lx, (int)e); f < nf; f++) {
            const char *form = ms_lexicon_entry_form(lx, (int)e, f);
            size_t fl = strlen(form);
            if (strchr(form, ' ') || fl + max < wn || wn + max < fl)
                continue;
            unsigned d = edit_distance(word, wn, form, fl, best < max ? best : max);
            if (d < best) {
                best = d;
                pick = form;
                tie = 0;
            } else if (d == best && pick && strcmp(pick, form) != 0) {
                tie = 1;
            }
        }
    }
    if (!pick || tie || best == 0 || strlen(pick) > MS_TERM_MAX)
        return 0;
    size_t n = strlen(pick);
    memcpy(out, pick, n + 1);
    return n;
}

size_t ms_spell_word(ms_speller *sp, const char *word, size_t wn, const char *stem, size_t sn,
                     char *fix, char *shown)
{
    if (!sp->src || !sp->on)
        return 0;
    size_t fl = misspelt(sp, word, wn, stem, sn, fix);
    if (fl && written_form(sp, fix, fl, word, wn, shown) == UINT_MAX)
        fl = 0; /* no passage shows how it is written */
    /* a name of the lexicon as close as the index's word, or the only one,
       is the better guess: "excema" is eczema, not excess */
    char named[MS_TERM_MAX + 1], nstem[MS_TERM_MAX + 8];
    unsigned sf = stem_freq(sp, stem, sn);
    size_t nl =
        sf <= SPELL_RARE && !ms_dict_knows(word, wn) ? lexicon_correction(sp, word, wn, named) : 0;
    size_t nsl = nl ? ms_analyzer_stem(sp->env->an, named, nl, nstem, sizeof nstem) : 0;
    /* (a rare word is left alone unless the name is far more common) */
    if (nl && sf && stem_freq(sp, nstem, nsl) < 10 * sf)
        nl = 0;
    if (nl && (!fl || edit_distance(word, wn, named, nl, 9) <=
                          edit_distance(word, wn, shown, strlen(shown), 9))) {
        memcpy(shown, named, nl + 1);
        memcpy(fix, nstem, nsl + 1);
        fl = nsl;
    }
    return fl;
}

void ms_speller_free(ms_speller *sp)
{
    ms_spell_forget(sp);
    free(sp->fix);
    ms_spell_words_free(sp->own);
    memset(sp, 0, sizeof *sp);
}
