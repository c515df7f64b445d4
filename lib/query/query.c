/*
 * query.c - the query parser.
 *
 * Two passes. The lexer cuts the string into items (words, phrases, fields,
 * operators) in one of two modes: operator mode, where AND/OR/NOT/NEAR,
 * parentheses and +/- prefixes are syntax, and natural mode, chosen for
 * queries that read as sentences, where only quotes and fields are syntax.
 * The recursive-descent parser then builds the Xapian query directly.
 * Juxtaposed plain words are gathered into one free-text run, which gets the
 * treatment of a question: stopwords and filler dropped, entities expanded,
 * question type and proximity bonuses added. A syntax error re-reads the
 * whole string in natural mode, so no input loses its query.
 */
#include "medsearch/query.h"
#include "base/util.h"
#include "medsearch/index.h"
#include "medsearch/record.h"
#include "query/dictionary.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parentheses nest at most this deep: the parser recurses once per level,
 * and deeper input is a syntax error, not a stack overflow. */
#define MAX_DEPTH 100

/* Weights, tuned on the dev set (bench/relevance). */
#define EXPAND_W 0.8 /* synonyms of a recognised entity, next to the typed words */

enum ltype { L_END, L_WORD, L_PHRASE, L_LP, L_RP, L_AND, L_OR, L_NOT, L_NEAR, L_WILD };

typedef struct item {
    enum ltype type;
    const char *s; /* text (without quotes, field or '*') */
    size_t n;
    char sign;     /* '+', '-' or 0 */
    int field;     /* index into fields[], or -1 */
    unsigned near; /* NEAR window */
} item;

enum { F_TITLE, F_SECTION, F_SOURCE, F_DRUG, F_SYMPTOM, F_CONDITION };
static const char *const fields[] = {"title", "section", "source", "drug", "symptom", "condition"};

typedef struct parser {
    const ms_env *env;
    const msx_db *db;
    const ms_qopts *opts;
    ms_qinfo *info;
    item *it;
    size_t n, cap, i;
    int natural;
    int error; /* syntax error seen */
    char errmsg[200];
    ms_tokens toks;
    ms_entities ents;
    const char *q0; /* the query as given: items and corrections point into it */
    struct fix {
        size_t start, end; /* bytes of q0 corrected */
        char *with;
    } * fix;
    size_t n_fix;
    int literal;           /* parsing a +word or -word: its own forms only, no synonyms */
    ms_spell_words *words; /* this parse's own, when opts->words is NULL */
    int db_failed;         /* a read of the index failed: the parse is not to be trusted */
    char *unknown_field;   /* the first NAME: that is no field */
    char *unknown_entity;  /* the first drug:, symptom: or condition: the lexicon lacks */
    msx_error dbe;         /* (the first failure) */
    unsigned depth;        /* parentheses open around the current item */
} parser;

static void syntax_error(parser *p, const char *fmt, ...)
{
    if (p->error)
        return;
    p->error = 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->errmsg, sizeof p->errmsg, fmt, ap);
    va_end(ap);
}

/* ---- highlight info ---- */

static void add_str(char ***v, size_t *n, const char *s, size_t len)
{
    for (size_t i = 0; i < *n; i++)
        if (strlen((*v)[i]) == len && memcmp((*v)[i], s, len) == 0)
            return;
    *v = ms_xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = ms_xstrndup(s, len);
}

static void add_ent(ms_qinfo *info, ms_entkind k, int entry, const char *name)
{
    for (size_t i = 0; i < info->n_ents; i++)
        if (info->ents[i].kind == k && strcmp(info->ents[i].name, name) == 0)
            return;
    info->ents = ms_xrealloc(info->ents, (info->n_ents + 1) * sizeof *info->ents);
    ms_qent *e = &info->ents[info->n_ents++];
    e->kind = k;
    e->entry = entry;
    snprintf(e->name, sizeof e->name, "%s", name);
}

void ms_qinfo_free(ms_qinfo *info)
{
    for (size_t i = 0; i < info->n_terms; i++)
        free(info->terms[i]);
    free(info->terms);
    for (size_t i = 0; i < info->n_stems; i++)
        free(info->stems[i]);
    free(info->stems);
    free(info->ents);
    free(info->heads);
    free(info->did_you_mean);
    free(info->unknown_field);
    free(info->unknown_entity);
    for (size_t i = 0; i < info->n_negated; i++)
        free(info->negated[i]);
    free(info->negated);
    memset(info, 0, sizeof *info);
}

/* ---- query building helpers ---- */

typedef struct qlist {
    msx_query **v;
    size_t n, cap;
} qlist;

static void ql_add(qlist *l, msx_query *q)
{
    if (!q)
        return;
    if (msx_query_empty(q)) {
        msx_query_free(q);
        return;
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = ms_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = q;
}

/* Combine and free the list's queries; NULL when the list is empty. */
static msx_query *ql_combine(qlist *l, msx_op op, unsigned window)
{
    msx_query *out = NULL;
    if (l->n == 1 && op != MSX_OP_PHRASE && op != MSX_OP_NEAR) {
        out = l->v[0];
    } else if (l->n > 0) {
        if (msx_query_combine(op, l->v, l->n, window, &out, NULL) != MSX_OK)
            out = NULL;
        for (size_t i = 0; i < l->n; i++)
            msx_query_free(l->v[i]);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
    return out;
}

static msx_query *binary(msx_op op, msx_query *a, msx_query *b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    qlist l = {0};
    ql_add(&l, a);
    ql_add(&l, b);
    return ql_combine(&l, op, 0);
}

static msx_query *scaled(msx_query *q, double f)
{
    if (!q)
        return NULL;
    msx_query *s = NULL;
    msx_query_scale(q, f, &s, NULL);
    msx_query_free(q);
    return s;
}

/* The query term prefix + t[0..n), at query position pos (0: none). A term
 * too long for the index is searched whole (and found nowhere), never cut
 * to a shorter term that might exist. */
static msx_query *term(const char *prefix, const char *t, size_t n, unsigned pos)
{
    char buf[MS_TERM_MAX * 2 + 16];
    size_t pl = strlen(prefix);
    char *p = pl + n < sizeof buf ? buf : ms_xrealloc(NULL, pl + n);
    memcpy(p, prefix, pl);
    memcpy(p + pl, t, n);
    msx_query *q = msx_query_term(p, pl + n, 1, pos);
    if (p != buf)
        free(p);
    return q;
}

static unsigned termfreq(parser *p, const char *prefix, const char *t, size_t n)
{
    char buf[MS_TERM_MAX * 2 + 16];
    size_t pl = strlen(prefix);
    if (!p->db || p->db_failed || pl + n >= sizeof buf)
        return 0; /* (after a failed read, the parse is done again or given up) */
    memcpy(buf, prefix, pl);
    memcpy(buf + pl, t, n);
    unsigned f = 0;
    if (msx_db_termfreq(p->db, buf, pl + n, &f, &p->dbe) != MSX_OK)
        p->db_failed = 1;
    return f;
}

/* ---- free text: the question treatment ---- */

static int in_list(const char *const *list, size_t nl, const char *t, size_t n)
{
    for (size_t i = 0; i < nl; i++)
        if (list[i][0] == t[0] && strncmp(list[i], t, n) == 0 && list[i][n] == '\0')
            return 1;
    return 0;
}
#define IN(list, t, n) in_list(list, sizeof list / sizeof *list, t, n)

/* Words that carry no medical focus in a pasted question. */
static const char *const filler[] = {
    "hi",      "hello",     "hey",       "dear",     "doctor",    "doc",       "dr",
    "thanks",  "thank",     "please",    "help",     "helps",     "question",  "wondering",
    "wonder",  "know",      "tell",      "want",     "need",      "get",       "got",
    "getting", "really",    "something", "anything", "thing",     "things",    "kind",
    "sort",    "lot",       "ok",        "okay",     "use",       "take",      "anyone",
    "someone", "advice",    "advise",    "suggest",  "recommend", "info",      "information",
    "regards", "sir",       "madam",     "im",       "ive",       "dont",      "cant",
    "also",    "been",      "since",     "now",      "still",     "bit",       "little",
    "lately",  "recently",  "maybe",     "possible", "worried",   "concerned", "mean",
    "means",   "best",      "good",      "way",      "ways",      "go",        "went",
    "let",     "appreciate"};

typedef struct qtype {
    const char *name;
    const char *cues;     /* space-separated folded cue words */
    const char *headings; /* heading words it favours */
} qtype;

static const qtype qtypes[] = {
    {"treatment",
     "treat treated treating treatment treatments cure cured cures medicine medicines medication "
     "medications remedy remedies relief relieve therapy therapies manage",
     "treatment treatments treat therapy therapies management manage medication medications "
     "relief remedies"},
    {"causes", "cause causes caused causing why reason reasons trigger triggers",
     "cause causes caused trigger triggers risk"},
    {"symptoms", "symptom symptoms signs sign", "symptoms symptom signs"},
    {"prevention", "prevent prevented preventing prevention avoid avoiding",
     "prevent prevention avoid"},
    {"dosage", "dose doses dosage dosing", "dose dosage dosing"},
    {"side effects", "side effects safe safety", "side effects safety risks"},
    {"diagnosis", "diagnose diagnosed diagnosis diagnosing test tests tested",
     "diagnose diagnosis diagnosed tests test"},
    {"outlook",
     "outlook prognosis expectancy survival survive curable fatal deadly recover recovery "
     "recovering lifespan",
     "outlook prognosis"},
    {"inheritance",
     "inherited inherit inheritance hereditary genetic genes gene pass passed passing carrier "
     "carriers",
     "inherited inheritance genetic genes"},
    {"frequency", "common prevalence", "affected common"},
    {"definition", "", "is overview introduction definition about"}};

/* "what is X", "what are X", "what's X", "define X": a question for the
 * overview of X, when no other question type is there. */
static int asks_definition(const ms_tokens *t)
{
    const char *w[2] = {"", ""};
    size_t k = 0;
    for (size_t i = 0; i < t->n && k < 2; i++)
        if (!(t->v[i].flags & MS_TOK_ALT))
            w[k++] = ms_token_term(t, &t->v[i]);
    return (strcmp(w[0], "what") == 0 && (strcmp(w[1], "is") == 0 || strcmp(w[1], "are") == 0)) ||
           strcmp(w[0], "what's") == 0 || strcmp(w[0], "whats") == 0 || strcmp(w[0], "define") == 0;
}

static int has_word(const char *list, const char *t, size_t n)
{
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ' ');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == n && memcmp(p, t, n) == 0)
            return 1;
        if (!e)
            break;
        p = e + 1;
    }
    return 0;
}

/* "what can I use", "anything I can take", "what should I apply": asking
 * for a treatment without naming one. */
static int asks_remedy(const ms_tokens *t)
{
    static const char *const verbs[] = {"use", "take", "apply", "put", "try", "buy"};
    int what = 0, verb = 0;
    for (size_t i = 0; i < t->n; i++) {
        const char *w = ms_token_term(t, &t->v[i]);
        size_t l = t->v[i].len;
        what |= (l == 4 && memcmp(w, "what", 4) == 0) || (l == 8 && !memcmp(w, "anything", 8));
        verb |= IN(verbs, w, l);
    }
    return what && verb;
}

static const qtype *detect_qtype(const ms_tokens *t)
{
    size_t n = sizeof qtypes / sizeof *qtypes;
    for (size_t q = 0; q + 1 < n; q++)
        for (size_t i = 0; i < t->n; i++)
            if (!(t->v[i].flags & MS_TOK_ALT) &&
                has_word(qtypes[q].cues, ms_token_term(t, &t->v[i]), t->v[i].len))
                return &qtypes[q];
    if (asks_remedy(t))
        return &qtypes[0];
    return asks_definition(t) ? &qtypes[n - 1] : NULL;
}

/* The section-heading words that fit the question type, for the re-ranker
 * (search.c). A word listed twice ("symptoms", "symptom") counts twice. They
 * are not part of the Xapian query: a bonus there (AND_MAYBE) would stop
 * Xapian from skipping passages that cannot reach the top, and scoring every
 * passage that holds a common word was most of a question's time. */
static void heading_words(parser *p, const qtype *qt)
{
    ms_qinfo *info = p->info;
    for (const char *s = qt->headings; *s;) {
        const char *e = strchr(s, ' ');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        char w[MS_TERM_MAX + 8];
        size_t wl = len;
        if (ms_is_stopword(s, len))
            memcpy(w, s, len); /* stopwords are indexed as written */
        else
            wl = ms_analyzer_stem(p->env->an, s, len, w, sizeof w);
        w[wl < MS_TERM_MAX ? wl : MS_TERM_MAX] = '\0';
        size_t i = 0;
        while (i < info->n_heads && strcmp(info->heads[i].word, w) != 0)
            i++;
        if (i == info->n_heads) {
            info->heads = ms_xrealloc(info->heads, (i + 1) * sizeof *info->heads);
            memcpy(info->heads[i].word, w, strlen(w) + 1);
            info->heads[i].weight = 0;
            info->n_heads++;
        }
        info->heads[i].weight += 1.0;
        if (!e)
            break;
        s = e + 1;
    }
}

/* The expansion of an entity: its entity term, which the indexer adds
 * wherever the tagger found any form of it (names, aliases, brands, one word
 * or several). So a multi-word synonym is matched as a phrase once, at index
 * time, by the same tagger that read the query: no positional check at query
 * time, and, being a single term, it scores exactly the same on shards as on
 * a single index (Xapian 1.4 estimates a synonym group's frequency shard by
 * shard). On the dev set it scored as a synonym group of the forms did. */
static msx_query *expansion(const parser *p, ms_entkind kind, int entry)
{
    char tb[256];
    size_t tl = ms_entity_term(kind, ms_lexicon_entry_name(p->env->lex, entry), tb, sizeof tb);
    return msx_query_term(tb, tl, 1, 0);
}

/* Note that q0[start, end) is to read with instead, for "did you mean". */
static void add_fix(parser *p, size_t start, size_t end, const char *with)
{
    p->fix = ms_xrealloc(p->fix, (p->n_fix + 1) * sizeof *p->fix);
    p->fix[p->n_fix++] = (struct fix){start, end, ms_xstrdup(with)};
}

static void free_fixes(parser *p)
{
    for (size_t i = 0; i < p->n_fix; i++)
        free(p->fix[i].with);
    p->n_fix = 0;
}

static int by_start(const void *a, const void *b)
{
    const struct fix *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* text[0..len) with each of the n corrections fix (in text order) put in
 * its place, malloc'd into b; a correction overlapping the one before (the
 * same word met twice) is skipped. */
static void splice(ms_sbuf *b, const char *text, size_t len, const struct fix *fix, size_t n)
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
static char *spliced(parser *p)
{
    qsort(p->fix, p->n_fix, sizeof *p->fix, by_start);
    ms_sbuf b = {0};
    splice(&b, p->q0, strlen(p->q0), p->fix, p->n_fix);
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

/* Passages read to tell how a query word is written in the index. */
#define SPELL_DOCS 4
/* A stem held by more passages than this is taken to be spelt right. */
#define SPELL_RARE 20

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
    char *buf;
    size_t len, cap;
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
        free(l->buf);
        free(l->v);
        memset(l, 0, sizeof *l);
    }
}

void ms_spell_words_free(ms_spell_words *w)
{
    ms_spell_words_clear(w);
    free(w);
}

/* List the stem term t[0..n) ("Z" and the stem) in ctx, a letter_words. */
static int keep_stem(void *ctx, const char *t, size_t n, unsigned freq)
{
    letter_words *l = ctx;
    t++, n--;
    if (!plain_word(t, n))
        return 0;
    if (l->len + n + 1 > l->cap) {
        l->cap = (l->len + n + 1) * 2;
        l->buf = ms_xrealloc(l->buf, l->cap);
    }
    if (l->n == l->ncap) {
        l->ncap = l->ncap ? l->ncap * 2 : 256;
        l->v = ms_xrealloc(l->v, l->ncap * sizeof *l->v);
    }
    memcpy(l->buf + l->len, t, n);
    l->buf[l->len + n] = '\0';
    l->v[l->n++] = (spell_stem){(uint32_t)l->len, (uint32_t)n, freq, letter_set(t, n)};
    l->len += n + 1;
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
static size_t correction(parser *p, size_t wn, const char *stem, size_t sn, unsigned min_freq,
                         char *out)
{
    if (sn == 0 || p->db_failed || !plain_word(stem, sn))
        return 0;
    spell_ctx c = {stem, sn, wn < 6 ? 1 : 2, 0, letter_set(stem, sn), ""};
    ms_spell_words *w = p->opts->words;
    if (!w)
        w = p->words ? p->words : (p->words = ms_spell_words_new());
    letter_words *l = &w->letter[stem[0] - 'a'];
    if (!l->listed) {
        char prefix[3] = {'Z', stem[0], '\0'};
        if (msx_db_allterms(p->db, prefix, keep_stem, l, &p->dbe) != MSX_OK) {
            ms_spell_words_clear(w); /* a partial list would miss words */
            p->db_failed = 1;
            return 0;
        }
        if (l->n)
            qsort(l->v, l->n, sizeof *l->v, by_freq);
        l->listed = 1;
    }
    for (size_t i = 0; i < l->n && l->v[i].freq >= min_freq; i++)
        spell_candidate(&c, l->buf + l->v[i].off, l->v[i].len, l->v[i].freq, l->v[i].letters);
    size_t n = strlen(c.best);
    memcpy(out, c.best, n + 1);
    return n;
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

/* Run fn over the passages that hold the stem stem[0..sn) (see
 * msx_db_postings). */
static void stem_postings(parser *p, const char *stem, size_t sn,
                          int (*fn)(void *ctx, msx_docid id), void *ctx)
{
    char term[MS_TERM_MAX + 2];
    if (sn > MS_TERM_MAX || p->db_failed)
        return; /* no such term: the index's are cut to MS_TERM_MAX */
    term[0] = 'Z';
    memcpy(term + 1, stem, sn);
    if (msx_db_postings(p->db, term, sn + 1, fn, ctx, &p->dbe) != MSX_OK)
        p->db_failed = 1;
}

/* Where a passage's words are read for spelling: the passages holding a
 * stem, and the query word whose written forms are sought. */
typedef struct forms_ctx {
    parser *p;
    const char *stem, *word;
    size_t sn, wn;
    unsigned docs; /* passages read so far */
    unsigned best; /* edit distance of out to word (UINT_MAX: none) */
    char out[MS_TERM_MAX + 1];
    ms_tokens toks;
} forms_ctx;

/* Read the words of passage id (its title, heading and text) that stem to
 * f->stem, keeping the one closest to f->word. Stops once one is found. */
static int read_forms(void *ctx, msx_docid id)
{
    forms_ctx *f = ctx;
    ms_rec r;
    if (read_passage(f->p->db, id, &r) == 0) {
        const char *parts[3] = {r.title, r.section, r.text};
        char st[MS_TERM_MAX + 8];
        for (int i = 0; i < 3; i++) {
            ms_tokens_reset(&f->toks);
            ms_analyze(f->p->env->an, parts[i], strlen(parts[i]), 1, &f->toks);
            for (size_t j = 0; j < f->toks.n; j++) {
                const ms_token *k = &f->toks.v[j];
                const char *s = ms_token_term(&f->toks, k);
                if (!ms_token_stemmed(k, s) || k->len > MS_TERM_MAX)
                    continue;
                size_t sl = ms_analyzer_stem(f->p->env->an, s, k->len, st, sizeof st);
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
        ms_rec_free(&r);
    }
    return ++f->docs >= SPELL_DOCS || f->best != UINT_MAX;
}

/* How stem is written (the index holds stems, "did you mean" shows words):
 * the form closest to word in the first passage (of SPELL_DOCS) that has it,
 * copied to out (MS_TERM_MAX + 1 bytes); returns its edit distance to word,
 * UINT_MAX when none was read. */
static unsigned written_form(parser *p, const char *stem, size_t sn, const char *word, size_t wn,
                             char *out)
{
    forms_ctx f = {p, stem, word, sn, wn, 0, UINT_MAX, "", {0}};
    ms_tokens_init(&f.toks);
    stem_postings(p, stem, sn, read_forms, &f);
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
    const msx_db *db;
    const char *word;
    size_t wn;
    unsigned docs;
    int found;
} shows_ctx;

/* Whether passage id writes c->word (in its title, heading or text). */
static int shows_word(void *ctx, msx_docid id)
{
    shows_ctx *c = ctx;
    ms_rec r;
    if (read_passage(c->db, id, &r) == 0) {
        c->found = writes_word(r.title, c->word, c->wn) || writes_word(r.section, c->word, c->wn) ||
                   writes_word(r.text, c->word, c->wn);
        ms_rec_free(&r);
    }
    return c->found || ++c->docs >= SPELL_DOCS;
}

/* The stem that corrects the query word word[0..wn) of stem stem[0..sn), or
 * 0 (written to out, MS_TERM_MAX + 1 bytes; returns its length). The index
 * holds stems, not words: a word is corrected when its stem is missing, or
 * rare next to a close one while none of the first passages holding it
 * writes the word so ("migrane" stems like "migrans", but means "migraine"). */
static size_t misspelt(parser *p, const char *word, size_t wn, const char *stem, size_t sn,
                       char *out)
{
    if (!p->db || p->db_failed || !p->opts->spelling || wn < 4 || !plain_word(word, wn))
        return 0; /* numbers, doses and other scripts are never rewritten */
    unsigned sf = termfreq(p, "Z", stem, sn), docs = 0;
    if (sf > SPELL_RARE)
        return 0;
    if (!p->db_failed && msx_db_doccount(p->db, &docs, &p->dbe) != MSX_OK)
        p->db_failed = 1;
    if (p->db_failed || (sf && 10 * sf > docs))
        return 0;
    if (sf) {
        shows_ctx c = {p->db, word, wn, 0, 0};
        stem_postings(p, stem, sn, shows_word, &c);
        if (c.found)
            return 0;
    }
    size_t fl = correction(p, wn, stem, sn, sf ? 10 * sf : 2, out);
    /* a correct word that the index happens not to hold stays (asked last:
       opening the dictionaries is the dearest step, and few words get here) */
    return fl && ms_dict_knows(word, wn) ? 0 : fl;
}

/* Negation, as NegEx does it in clinical text: a trigger ("no fever", "I
 * don't have a rash", "itching without hives") opens a scope that runs to
 * the end of the clause (a comma or stop, "but", "however"...) or for
 * NEG_SCOPE words; a symptom or condition named in it is not searched as
 * wanted, nor is the trigger. A drug is not negated ("without aspirin" asks
 * about doing without it). */
#define NEG_SCOPE 6

/* The bytes of s[0..n) before the first of set (n if none). */
static size_t memcspn(const char *s, size_t n, const char *set)
{
    size_t i = 0;
    while (i < n && !strchr(set, s[i]))
        i++;
    return i;
}

static const char *const neg_triggers[] = {
    "no",    "not",     "without", "never",  "denies", "deny",    "denied", "don't",
    "dont",  "doesn't", "doesnt",  "didn't", "didnt",  "haven't", "havent", "hasn't",
    "hasnt", "isn't",   "isnt",    "aren't", "arent",  "wasn't",  "wasnt",  "weren't"};
static const char *const neg_ends[] = {"but",   "however", "although", "though",
                                       "yet",   "except",  "apart",    "aside",
                                       "still", "whereas", "while",    "although"};

/* Mark in skip[] the tokens of t not to search: the symptoms and conditions
 * of p->ents inside a negation's scope, and their triggers; the negated
 * entities are listed in p->info and dropped from p->ents. */
static void negations(parser *p, const ms_tokens *t, const char *text, char *skip)
{
    for (size_t i = 0; i < t->n; i++) {
        const char *s = ms_token_term(t, &t->v[i]);
        if (!IN(neg_triggers, s, t->v[i].len))
            continue;
        size_t end = i + 1;
        for (size_t words = 0; end < t->n && words < NEG_SCOPE; end++, words++) {
            const ms_token *k = &t->v[end];
            size_t from = t->v[end - 1].end; /* (an alternative form overlaps its words) */
            size_t gap = k->start > from ? k->start - from : 0;
            if (IN(neg_ends, ms_token_term(t, k), k->len) ||
                memcspn(text + from, gap, ",;.?!:") < gap)
                break;
        }
        size_t keep = 0;
        for (size_t e = 0; e < p->ents.n; e++) {
            const ms_entity *en = &p->ents.v[e];
            int negated = en->tok_first > i && en->tok_first < end &&
                          (en->kind == MS_ENT_SYMPTOM || en->kind == MS_ENT_CONDITION);
            if (!negated) {
                p->ents.v[keep++] = *en;
                continue;
            }
            add_str(&p->info->negated, &p->info->n_negated, ms_entity_name(p->env->lex, en, t),
                    strlen(ms_entity_name(p->env->lex, en, t)));
            memset(skip + en->tok_first, 1, en->tok_end - en->tok_first);
            skip[i] = 1;
        }
        p->ents.n = keep;
    }
}

/* Where the words of a free-text run stand in the query: text[foff, foff +
 * n) is q0[qoff, qoff + n). */
typedef struct piece {
    size_t foff, qoff, n;
} piece;

/* The bytes of q0 that text[start, end) was copied from, or 0 when they
 * cross two pieces. */
static int in_query(const piece *pc, size_t npc, size_t start, size_t end, size_t *qs, size_t *qe)
{
    for (size_t i = 0; i < npc; i++)
        if (start >= pc[i].foff && end <= pc[i].foff + pc[i].n) {
            *qs = pc[i].qoff + (start - pc[i].foff);
            *qe = pc[i].qoff + (end - pc[i].foff);
            return 1;
        }
    return 0;
}

/* Whether the word at q0[qs] is a name written with a capital inside a
 * sentence ("Dr Smithson"): names are not corrected. */
static int capitalised_name(const parser *p, size_t qs)
{
    if (p->q0[qs] < 'A' || p->q0[qs] > 'Z')
        return 0;
    size_t i = qs;
    while (i > 0 && (p->q0[i - 1] == ' ' || p->q0[i - 1] == '\t' || p->q0[i - 1] == '"' ||
                     p->q0[i - 1] == '('))
        i--;
    return i > 0 && !strchr(".?!\n", p->q0[i - 1]);
}

/* Whether token i is part of an entity the lexicon found: a known drug,
 * brand, symptom or condition is never corrected. */
static int in_entity(const parser *p, size_t i)
{
    for (size_t e = 0; e < p->ents.n; e++)
        if (i >= p->ents.v[e].tok_first && i < p->ents.v[e].tok_end)
            return 1;
    return 0;
}

/* The entities of text with its corrected words put in (corr, ncorr: byte
 * ranges of text and their corrections) that the uncorrected text did not
 * name, expanded as the others are: a corrected drug finds its brands. */
static void retag(parser *p, const char *text, size_t len, const struct fix *corr, size_t ncorr,
                  qlist *words)
{
    ms_sbuf b = {0};
    splice(&b, text, len, corr, ncorr);
    ms_tokens t;
    ms_entities e;
    ms_tokens_init(&t);
    ms_entities_init(&e);
    ms_analyze(p->env->an, b.p, b.n, 1, &t);
    ms_lexicon_tag(p->env->lex, b.p, &t, &e);
    for (size_t i = 0; i < e.n; i++) {
        int known = 0;
        for (size_t j = 0; j < p->ents.n && !known; j++)
            known = p->ents.v[j].kind == e.v[i].kind && p->ents.v[j].entry == e.v[i].entry;
        if (known || e.v[i].entry < 0 || !p->opts->expand || p->literal)
            continue;
        add_ent(p->info, e.v[i].kind, e.v[i].entry, ms_entity_name(p->env->lex, &e.v[i], &t));
        ql_add(words, scaled(expansion(p, e.v[i].kind, e.v[i].entry), EXPAND_W));
    }
    ms_tokens_free(&t);
    ms_entities_free(&e);
    free(b.p);
}

/* A correction of word[0..wn) from the lexicon's one-word names, brands and
 * aliases (written to out, MS_TERM_MAX + 1 bytes; returns its length, or 0):
 * for a word whose stem the index lacks, so that a misspelt drug the corpus
 * never names ("zyrtek") still finds its generic through the lexicon. The
 * closest within 1 edit (under 6 letters), 2 (under 10) or 3; its first
 * letter may differ. A tie between two names is no correction. */
static size_t lexicon_correction(parser *p, const char *word, size_t wn, char *out)
{
    if (wn < 5 || !plain_word(word, wn))
        return 0;
    unsigned max = wn < 6 ? 1 : wn < 10 ? 2 : 3, best = max + 1;
    const char *pick = NULL;
    int tie = 0;
    const ms_lexicon *lx = p->env->lex;
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

/* The free-text query of text[0..len), whose words stand in the query where
 * pc says. */
static msx_query *free_text(parser *p, const char *text, size_t len, const piece *pc, size_t npc)
{
    const ms_env *env = p->env;
    ms_tokens *t = &p->toks;
    ms_tokens_reset(t);
    ms_analyze(env->an, text, len, 1, t);
    p->ents.n = 0;
    ms_lexicon_tag(env->lex, text, t, &p->ents);

    char *skip = ms_xrealloc(NULL, t->n + 1);
    memset(skip, 0, t->n + 1);
    negations(p, t, text, skip);

    /* all-stopword queries keep their words: better than nothing */
    int content = 0;
    for (size_t i = 0; i < t->n; i++) {
        const ms_token *k = &t->v[i];
        const char *s = ms_token_term(t, k);
        if (!ms_is_stopword(s, k->len) && !IN(filler, s, k->len))
            content++;
    }

    /* The words that tell the question type (causes, treatment...) stay in the
       main query too: dropping them measured worse on the dev set. */
    const qtype *qt = p->natural || content > 1 ? detect_qtype(t) : NULL;

    qlist words = {0};
    char stem[MS_TERM_MAX + 8];
    struct fix *corr = NULL; /* this run's corrections, in text order */
    size_t ncorr = 0;
    for (size_t i = 0; i < t->n; i++) {
        const ms_token *k = &t->v[i];
        const char *s = ms_token_term(t, k);
        int stop = ms_is_stopword(s, k->len) || IN(filler, s, k->len);
        if ((content && stop) || skip[i])
            continue;
        add_str(&p->info->terms, &p->info->n_terms, s, k->len);
        if (!ms_token_stemmed(k, s)) {
            /* no stems for these: the index has them as written */
            ql_add(&words, term("", s, k->len, 0));
        } else {
            size_t sl = ms_analyzer_stem(env->an, s, k->len, stem, sizeof stem);
            if (sl) /* ("ʼs" stems to nothing: searched, but nothing to highlight) */
                add_str(&p->info->stems, &p->info->n_stems, stem, sl);
            msx_query *q = term("Z", stem, sl, 0);
            /* a misspelt word (see misspelt) is searched as its correction
               too; never one the lexicon knows, nor a name */
            char fix[MS_TERM_MAX + 1], shown[MS_TERM_MAX + 1];
            size_t qs, qe, fl = 0;
            int eligible = p->db && p->opts->spelling && !in_entity(p, i) &&
                           in_query(pc, npc, k->start, k->end, &qs, &qe) &&
                           !capitalised_name(p, qs);
            if (eligible)
                fl = misspelt(p, s, k->len, stem, sl, fix);
            if (fl && written_form(p, fix, fl, s, k->len, shown) == UINT_MAX)
                fl = 0; /* no passage shows how it is written */
            /* a name of the lexicon as close as the index's word, or the
               only one, is the better guess: "excema" is eczema, not excess */
            char named[MS_TERM_MAX + 1], nstem[MS_TERM_MAX + 8];
            unsigned sf = eligible ? termfreq(p, "Z", stem, sl) : 0;
            size_t nl = eligible && sf <= SPELL_RARE && !ms_dict_knows(s, k->len)
                            ? lexicon_correction(p, s, k->len, named)
                            : 0;
            size_t nsl = nl ? ms_analyzer_stem(env->an, named, nl, nstem, sizeof nstem) : 0;
            /* (a rare word is left alone unless the name is far more common) */
            if (nl && sf && termfreq(p, "Z", nstem, nsl) < 10 * sf)
                nl = 0;
            if (nl && (!fl || edit_distance(s, k->len, named, nl, 9) <=
                                  edit_distance(s, k->len, shown, strlen(shown), 9))) {
                memcpy(shown, named, nl + 1);
                memcpy(fix, nstem, nsl + 1);
                fl = nsl;
            }
            if (fl) {
                add_str(&p->info->terms, &p->info->n_terms, shown, strlen(shown));
                add_str(&p->info->stems, &p->info->n_stems, fix, fl);
                q = binary(MSX_OP_OR, q, term("Z", fix, fl, 0));
                add_fix(p, qs, qe, shown);
                corr = ms_xrealloc(corr, (ncorr + 1) * sizeof *corr);
                corr[ncorr++] = (struct fix){k->start, k->end, p->fix[p->n_fix - 1].with};
            }
            ql_add(&words, q);
        }
    }
    /* an entity is searched, and its mentions highlighted (urticaria for
       hives), only when expanding: --no-expand and +word/-word keep to the
       words as written */
    for (size_t e = 0; e < p->ents.n && p->opts->expand && !p->literal; e++) {
        const ms_entity *en = &p->ents.v[e];
        const char *name = ms_entity_name(env->lex, en, t);
        add_ent(p->info, en->kind, en->entry, name);
        if (en->entry >= 0)
            ql_add(&words, scaled(expansion(p, en->kind, en->entry), EXPAND_W));
    }
    if (ncorr)
        retag(p, text, len, corr, ncorr, &words);
    free(corr);
    free(skip);
    if (qt) {
        p->info->qtype = qt->name;
        if (!p->info->n_heads)
            heading_words(p, qt);
    }
    return ql_combine(&words, MSX_OP_OR, 0);
}

/* ---- the lexer ---- */

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Length of an opening or closing double quote at s (", “, ”), else 0. */
static size_t quote_len(const char *s)
{
    if (s[0] == '"')
        return 1;
    if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
        ((unsigned char)s[2] == 0x9C || (unsigned char)s[2] == 0x9D))
        return 3;
    return 0;
}

static void push_item(parser *p, item it)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 32;
        p->it = ms_xrealloc(p->it, p->cap * sizeof *p->it);
    }
    p->it[p->n++] = it;
}

static int field_of(const char *s, size_t n)
{
    for (int f = 0; f < (int)(sizeof fields / sizeof *fields); f++) {
        size_t fl = strlen(fields[f]);
        if (n == fl) {
            size_t i;
            for (i = 0; i < n; i++)
                if ((s[i] | 0x20) != fields[f][i])
                    break;
            if (i == n)
                return f;
        }
    }
    return -1;
}

static int all_letters(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z'))
            return 0;
    return 1;
}

static void lex(parser *p, const char *q)
{
    p->n = 0;
    const char *s = q;
    while (*s) {
        if (is_space(*s)) {
            s++;
            continue;
        }
        item it = {L_WORD, NULL, 0, 0, -1, 0};
        if (!p->natural && (*s == '+' || *s == '-') && s[1] && !is_space(s[1]) && s[1] != '+' &&
            s[1] != '-') {
            it.sign = *s++;
        }
        if (!p->natural && (*s == '(' || *s == ')')) {
            if (it.sign)
                syntax_error(p, "'%c' before a parenthesis", it.sign);
            it.type = *s == '(' ? L_LP : L_RP;
            push_item(p, it);
            s++;
            continue;
        }
        /* field: */
        const char *colon = NULL;
        for (const char *c = s; *c && !is_space(*c) && !quote_len(c) && *c != '(' && *c != ')'; c++)
            if (*c == ':') {
                colon = c;
                break;
            }
        if (colon && colon > s && colon[1] && !is_space(colon[1])) {
            size_t nl = (size_t)(colon - s);
            int f = field_of(s, nl);
            if (f >= 0) {
                it.field = f;
                s = colon + 1;
            } else if (!p->natural && !p->unknown_field && nl <= 20 && all_letters(s, nl)) {
                /* path:GARD, date:2024: no field; read as words, and said */
                p->unknown_field = ms_xstrndup(s, nl);
            }
        }
        size_t ql = quote_len(s);
        if (ql) {
            const char *b = s + ql, *e = b;
            while (*e && !quote_len(e))
                e++;
            if (!*e) {
                syntax_error(p, "unbalanced quote");
                it.s = b;
                it.n = (size_t)(e - b);
                s = e;
            } else {
                it.type = L_PHRASE;
                it.s = b;
                it.n = (size_t)(e - b);
                s = e + quote_len(e);
            }
            push_item(p, it);
            continue;
        }
        const char *b = s;
        while (*s && !is_space(*s) && !quote_len(s) && (p->natural || (*s != '(' && *s != ')')))
            s++;
        it.s = b;
        it.n = (size_t)(s - b);
        if (!p->natural && it.field < 0 && !it.sign) {
            if (it.n == 3 && memcmp(b, "AND", 3) == 0)
                it.type = L_AND;
            else if (it.n == 2 && memcmp(b, "OR", 2) == 0)
                it.type = L_OR;
            else if (it.n == 3 && memcmp(b, "NOT", 3) == 0)
                it.type = L_NOT;
            else if (it.n >= 4 && memcmp(b, "NEAR", 4) == 0 &&
                     (it.n == 4 || (b[4] == '/' && it.n > 5))) {
                unsigned w = 10;
                if (it.n > 5) {
                    char *end;
                    w = (unsigned)strtoul(b + 5, &end, 10);
                    if (end != b + it.n || w == 0 || w > 1000)
                        syntax_error(p, "bad NEAR window '%.*s'", (int)it.n, b);
                }
                it.type = L_NEAR;
                it.near = w;
            }
        }
        if (it.type == L_WORD && it.n >= 3 && b[it.n - 1] == '*' && !p->natural)
            it.type = L_WILD, it.n--;
        push_item(p, it);
    }
    push_item(p, (item){L_END, NULL, 0, 0, -1, 0});
}

/* Whether q reads as a sentence or question rather than operator syntax. */
static int reads_natural(const char *q)
{
    static const char *const openers[] = {
        "what",  "what's", "whats", "how",    "why",   "when",   "where", "who",
        "which", "is",     "are",   "can",    "could", "should", "does",  "do",
        "did",   "will",   "would", "hi",     "hello", "hey",    "dear",  "my",
        "i",     "i'm",    "im",    "please", "help",  "doctor", "i've",  "ive"};
    static const char *const pronouns[] = {"i",   "i'm",  "im",   "my",   "me",  "we",
                                           "our", "you",  "your", "he",   "she", "his",
                                           "her", "i've", "ive",  "mine", "us"};
    size_t words = 0;
    int first = 1, natural = 0;
    const char *s = q, *last = q;
    while (*s) {
        while (is_space(*s))
            s++;
        if (!*s)
            break;
        const char *b = s;
        while (*s && !is_space(*s))
            s++;
        last = s;
        char w[16];
        size_t n = 0;
        for (const char *c = b; c < s && n < sizeof w - 1; c++) {
            if (*c == ',' || *c == '.' || *c == '?' || *c == '!')
                continue;
            w[n++] = (char)((*c >= 'A' && *c <= 'Z') ? *c + 32 : *c);
        }
        if (first && IN(openers, w, n))
            natural = 1;
        if (IN(pronouns, w, n))
            natural = 1;
        first = 0;
        words++;
    }
    while (last > q && is_space(last[-1]))
        last--;
    if (last > q && last[-1] == '?')
        natural = 1;
    return natural || words >= 9;
}

/* ---- the parser ---- */

static msx_query *parse_or(parser *p);

static const item *peek(const parser *p)
{
    return &p->it[p->i];
}

/* The index term of token k of t (see ms_token_stemmed) with prefix pre
 * for a stem or raw for a word as written, at query position pos. The word
 * as written is highlighted. */
static msx_query *token_term(parser *p, const ms_tokens *t, const ms_token *k, const char *pre,
                             const char *raw, unsigned pos)
{
    const char *w = ms_token_term(t, k);
    add_str(&p->info->terms, &p->info->n_terms, w, k->len);
    if (!ms_token_stemmed(k, w))
        return term(raw, w, k->len, pos);
    char stem[MS_TERM_MAX + 8];
    size_t sl = ms_analyzer_stem(p->env->an, w, k->len, stem, sizeof stem);
    if (sl) /* matched by stem, so highlighted by stem ("sore throats": throat) */
        add_str(&p->info->stems, &p->info->n_stems, stem, sl);
    return term(pre, stem, sl, pos);
}

/* A phrase (or word) of text, over the positional terms: its words match
 * by stem, as the index holds them. */
/* The terms of the words of s[0..n), added to l (one side of a NEAR). */
static void near_words(parser *p, const char *s, size_t n, qlist *l)
{
    ms_tokens *t = &p->toks;
    ms_tokens_reset(t);
    ms_analyze(p->env->an, s, n, 1, t);
    for (size_t i = 0; i < t->n; i++)
        if (!(t->v[i].flags & MS_TOK_ALT))
            ql_add(l, token_term(p, t, &t->v[i], "Z", "", 0));
}

static msx_query *phrase(parser *p, const char *s, size_t n)
{
    ms_tokens *t = &p->toks;
    ms_tokens_reset(t);
    ms_analyze(p->env->an, s, n, 1, t);
    qlist l = {0};
    for (size_t i = 0; i < t->n; i++)
        if (!(t->v[i].flags & MS_TOK_ALT))
            ql_add(&l, token_term(p, t, &t->v[i], "Z", "", t->v[i].pos));
    if (l.n == 0)
        return NULL;
    return ql_combine(&l, l.n > 1 ? MSX_OP_PHRASE : MSX_OP_OR, 0);
}

/* title:"..." or section:"...": the words as a phrase, in passages whose
 * field holds every one of them (field terms fp, zp for stems). The field
 * terms carry no positions; the body's terms do, and each passage's title
 * and heading are indexed at its start, so the phrase is matched there (or,
 * rarely, in the text of a passage whose field has the words elsewhere). */
static msx_query *field_phrase(parser *p, const item *it, const char *fp, const char *zp)
{
    msx_query *ph = phrase(p, it->s, it->n);
    if (!ph)
        return NULL;
    const ms_tokens *t = &p->toks; /* the phrase's words */
    qlist l = {0};
    for (size_t i = 0; i < t->n; i++)
        if (!(t->v[i].flags & MS_TOK_ALT))
            ql_add(&l, token_term(p, t, &t->v[i], zp, fp, 0));
    return binary(MSX_OP_FILTER, ph, ql_combine(&l, MSX_OP_AND, 0));
}

/* title:word or section:word: the words' field terms (stems in zp, the
 * words without a stem in fp). */
static msx_query *field_words(parser *p, const item *it, const char *fp, const char *zp)
{
    if (it->type == L_PHRASE)
        return field_phrase(p, it, fp, zp);
    ms_tokens *t = &p->toks;
    ms_tokens_reset(t);
    ms_analyze(p->env->an, it->s, it->n, 1, t);
    qlist l = {0};
    for (size_t i = 0; i < t->n; i++)
        if (!(t->v[i].flags & MS_TOK_ALT))
            ql_add(&l, token_term(p, t, &t->v[i], zp, fp, 0));
    return ql_combine(&l, MSX_OP_AND, 0);
}

/* drug:x, symptom:x, condition:x -> the entity term of x's canonical name. */
static msx_query *entity_field(parser *p, const item *it, ms_entkind kind)
{
    ms_tokens *t = &p->toks;
    ms_tokens_reset(t);
    ms_analyze(p->env->an, it->s, it->n, 1, t);
    p->ents.n = 0;
    ms_lexicon_tag(p->env->lex, it->s, t, &p->ents);
    qlist l = {0};
    char tb[256];
    for (size_t i = 0; i < p->ents.n; i++) {
        const ms_entity *e = &p->ents.v[i];
        if (e->kind != kind)
            continue;
        const char *name = ms_entity_name(p->env->lex, e, t);
        add_ent(p->info, kind, e->entry, name);
        ql_add(&l, msx_query_term(tb, ms_entity_term(kind, name, tb, sizeof tb), 1, 0));
    }
    if (l.n == 0) {
        /* not in the lexicon: the folded words, as the tagger would name them */
        char name[96];
        size_t w = 0;
        for (size_t i = 0; i < t->n && w + 1 < sizeof name; i++) {
            const ms_token *k = &t->v[i];
            if (k->flags & MS_TOK_ALT)
                continue;
            size_t n = k->len < sizeof name - w - 2 ? k->len : sizeof name - w - 2;
            if (w)
                name[w++] = ' ';
            memcpy(name + w, ms_token_term(t, k), n);
            w += n;
        }
        name[w] = '\0';
        if (!w)
            return NULL;
        /* said, and searched as its words (and, for a drug, as a drug the
           indexer recognised by its ending alone) */
        if (!p->unknown_entity) { /* named by its folded words: one clean line */
            size_t fl = strlen(fields[it->field]);
            p->unknown_entity = ms_xrealloc(NULL, fl + w + 2);
            snprintf(p->unknown_entity, fl + w + 2, "%s:%s", fields[it->field], name);
        }
        if (kind == MS_ENT_DRUG)
            ql_add(&l, msx_query_term(tb, ms_entity_term(kind, name, tb, sizeof tb), 1, 0));
        piece pc = {0, (size_t)(it->s - p->q0), it->n};
        ql_add(&l, free_text(p, it->s, it->n, &pc, 1));
    }
    return ql_combine(&l, MSX_OP_OR, 0);
}

static msx_query *source_field(parser *p, const item *it)
{
    char buf[256];
    size_t n = ms_analyzer_fold(p->env->an, it->s, it->n, buf + 4, sizeof buf - 4);
    memcpy(buf, "XSRC", 4);
    return msx_query_term(buf, n + 4, 1, 0);
}

/* word*: the words that start with it. The index holds stems: the stems
 * that start with it, and its own stem, which can be shorter ("diabetes*"
 * finds the stem "diabet"); and the words kept as written (numbers, say)
 * that start with it. */
static msx_query *wildcard(parser *p, const item *it)
{
    char buf[MS_TERM_MAX + 8], stem[MS_TERM_MAX + 8];
    buf[0] = 'Z';
    size_t n = ms_analyzer_fold(p->env->an, it->s, it->n, buf + 1, sizeof buf - 2);
    buf[n + 1] = '\0';
    msx_query *z = NULL, *raw = NULL;
    if (msx_query_wildcard(buf, 100, &z, NULL) != MSX_OK)
        return NULL;
    if (msx_query_wildcard(buf + 1, 100, &raw, NULL) != MSX_OK) {
        msx_query_free(z);
        return NULL;
    }
    msx_query *q = binary(MSX_OP_OR, z, raw);
    size_t sl = ms_analyzer_stem(p->env->an, buf + 1, n, stem, sizeof stem);
    if (sl < n)
        q = binary(MSX_OP_OR, q, term("Z", stem, sl, 0));
    add_str(&p->info->terms, &p->info->n_terms, buf + 1, n);
    return q;
}

/* One operand: a word, phrase, field, wildcard or parenthesised expression.
 * Free words are not handled here (see parse_group). */
static msx_query *parse_operand(parser *p, const item *it)
{
    if (it->type == L_LP) {
        if (p->depth == MAX_DEPTH) {
            syntax_error(p, "parentheses nest too deeply (more than %d levels)", MAX_DEPTH);
            p->i = p->n - 1; /* the rest is not read: the whole query falls back */
            return NULL;
        }
        p->depth++;
        msx_query *q = parse_or(p);
        p->depth--;
        if (peek(p)->type != L_RP)
            syntax_error(p, "missing ')'");
        else
            p->i++;
        if (!q)
            syntax_error(p, "empty parentheses");
        return q;
    }
    if (it->type == L_WILD)
        return wildcard(p, it);
    switch (it->field) {
    case F_TITLE:
        return field_words(p, it, "S", "ZS");
    case F_SECTION:
        return field_words(p, it, "XH", "ZXH");
    case F_SOURCE:
        return source_field(p, it);
    case F_DRUG:
        return entity_field(p, it, MS_ENT_DRUG);
    case F_SYMPTOM:
        return entity_field(p, it, MS_ENT_SYMPTOM);
    case F_CONDITION:
        return entity_field(p, it, MS_ENT_CONDITION);
    default:
        break;
    }
    if (it->type == L_PHRASE)
        return phrase(p, it->s, it->n);
    piece pc = {0, (size_t)(it->s - p->q0), it->n};
    return free_text(p, it->s, it->n, &pc, 1);
}

static int ends_group(enum ltype t)
{
    return t == L_END || t == L_RP || t == L_AND || t == L_OR || t == L_NOT;
}

/* Juxtaposed items: free words form one free-text run; +items are required,
 * -items excluded, source: items filter. */
static msx_query *parse_group(parser *p)
{
    qlist opt = {0}, req = {0}, exc = {0}, filt = {0};
    char *freebuf = NULL;
    size_t flen = 0, npc = 0;
    piece *pc = NULL;
    while (!ends_group(peek(p)->type)) {
        item it = *peek(p);
        p->i++;
        if (it.type == L_NEAR) {
            syntax_error(p, "NEAR without a left operand");
            continue;
        }
        int plain = it.type == L_WORD && it.field < 0 && !it.sign;
        if (plain && peek(p)->type != L_NEAR) {
            freebuf = ms_xrealloc(freebuf, flen + it.n + 2);
            if (flen)
                freebuf[flen++] = ' ';
            pc = ms_xrealloc(pc, (npc + 1) * sizeof *pc);
            pc[npc++] = (piece){flen, (size_t)(it.s - p->q0), it.n};
            memcpy(freebuf + flen, it.s, it.n);
            flen += it.n;
            continue;
        }
        msx_query *q;
        if (peek(p)->type == L_NEAR) {
            /* Xapian's NEAR takes terms, not phrases: the words of each
               side ("x-ray", "10mg", "hay fever") all stand within the
               window, widened by their number */
            qlist nl = {0};
            unsigned window = peek(p)->near;
            if ((it.type == L_WORD || it.type == L_PHRASE) && it.field < 0)
                near_words(p, it.s, it.n, &nl);
            else
                ql_add(&nl, parse_operand(p, &it));
            while (peek(p)->type == L_NEAR) {
                p->i++;
                item r = *peek(p);
                if (r.type != L_WORD && r.type != L_PHRASE) {
                    syntax_error(p, "NEAR needs a word or phrase on each side");
                    break;
                }
                p->i++;
                near_words(p, r.s, r.n, &nl);
            }
            q = ql_combine(&nl, MSX_OP_NEAR, window + nl.n - 1);
        } else {
            p->literal = it.sign != 0;
            q = parse_operand(p, &it);
            p->literal = 0;
        }
        /* title: and section: restrict, as source: does, but are scored */
        if (it.field == F_SOURCE && it.sign != '-')
            ql_add(&filt, q);
        else if (it.sign == '-')
            ql_add(&exc, q);
        else if (it.sign == '+' || it.field == F_TITLE || it.field == F_SECTION)
            ql_add(&req, q);
        else
            ql_add(&opt, q);
    }
    if (flen)
        ql_add(&opt, free_text(p, freebuf, flen, pc, npc));
    free(freebuf);
    free(pc);
    msx_query *o = ql_combine(&opt, MSX_OP_OR, 0);
    msx_query *r = ql_combine(&req, MSX_OP_AND, 0);
    msx_query *x = ql_combine(&exc, MSX_OP_OR, 0);
    msx_query *f = ql_combine(&filt, MSX_OP_OR, 0);
    msx_query *q = r ? (o ? binary(MSX_OP_AND_MAYBE, r, o) : r) : o;
    if (f)
        q = q ? binary(MSX_OP_FILTER, q, f) : f;
    if (x)
        q = binary(MSX_OP_AND_NOT, q ? q : msx_query_match_all(), x);
    return q;
}

static msx_query *parse_not(parser *p)
{
    msx_query *q = parse_group(p);
    while (peek(p)->type == L_NOT) {
        p->i++;
        msx_query *r = parse_group(p);
        if (!r) {
            syntax_error(p, "NOT without a right operand");
            break;
        }
        q = binary(MSX_OP_AND_NOT, q ? q : msx_query_match_all(), r);
    }
    return q;
}

/* One level of left-associative binary operators: next (op next)*. */
static msx_query *parse_binary(parser *p, enum ltype tok, msx_op op, const char *name,
                               msx_query *(*next)(parser *))
{
    msx_query *q = next(p);
    while (peek(p)->type == tok) {
        p->i++;
        msx_query *r = next(p);
        if (!q || !r)
            syntax_error(p, "%s needs an operand on each side", name);
        q = binary(op, q, r);
    }
    return q;
}

static msx_query *parse_and(parser *p)
{
    return parse_binary(p, L_AND, MSX_OP_AND, "AND", parse_not);
}

static msx_query *parse_or(parser *p)
{
    return parse_binary(p, L_OR, MSX_OP_OR, "OR", parse_and);
}

static msx_query *parse_all(parser *p, const char *q)
{
    lex(p, q);
    p->i = 0;
    msx_query *r = parse_or(p);
    if (peek(p)->type == L_RP)
        syntax_error(p, "unbalanced ')'");
    else if (peek(p)->type != L_END)
        syntax_error(p, "unexpected text");
    return r;
}

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

int ms_query_parse(const ms_env *env, const msx_db *db, const char *q, const ms_qopts *opts,
                   msx_query **out, ms_qinfo *info, ms_error *err)
{
    memset(info, 0, sizeof *info);
    *out = NULL;
    if (check_size(q, err) < 0)
        return -1;
    parser p = {.env = env, .db = db, .opts = opts, .info = info, .q0 = q};
    ms_tokens_init(&p.toks);
    ms_entities_init(&p.ents);
    p.natural = reads_natural(q);
    msx_query *r = parse_all(&p, q);
    int rc = 0;
    if (p.error) {
        msx_query_free(r);
        r = NULL;
        if (opts->strict) {
            rc = ms_fail(err, MS_EUSAGE, "query syntax: %s", p.errmsg);
            ms_qinfo_free(info); /* a failed parse leaves nothing to free */
        } else {
            ms_qinfo_free(info);
            info->fallback = 1;
            p.error = 0;
            p.natural = 1;
            free_fixes(&p);
            r = parse_all(&p, q);
        }
    }
    info->natural = p.natural;
    /* names the query used that are no field, or no entity of the
       lexicon: refused in strict mode, else handed on to be said */
    if (rc == 0 && opts->strict && (p.unknown_field || p.unknown_entity)) {
        if (p.unknown_field)
            rc = ms_fail(err, MS_EUSAGE,
                         "query syntax: unknown field '%s:' (fields: title, section, source, "
                         "drug, symptom, condition)",
                         p.unknown_field);
        else
            rc = ms_fail(err, MS_EUSAGE, "query syntax: %s: not in the lexicon", p.unknown_entity);
        msx_query_free(r);
        r = NULL;
        ms_qinfo_free(info);
    } else if (rc == 0) {
        info->unknown_field = p.unknown_field;
        info->unknown_entity = p.unknown_entity;
        p.unknown_field = p.unknown_entity = NULL;
    }
    if (rc == 0 && p.db_failed) {
        /* a shard that does not answer is not a change of the index */
        rc = ms_fail(err, p.dbe.status == MSX_NETWORK ? MS_ESHARD : MS_ECHANGED,
                     "the index could not be read: %s", p.dbe.msg);
        msx_query_free(r);
    }
    if (rc == 0 && p.n_fix)
        info->did_you_mean = spliced(&p);
    *out = rc == 0 ? r : NULL;
    free(p.it);
    free_fixes(&p);
    free(p.fix);
    free(p.unknown_field);
    free(p.unknown_entity);
    ms_spell_words_free(p.words);
    ms_tokens_free(&p.toks);
    ms_entities_free(&p.ents);
    return rc;
}
