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
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    char *dym; /* did-you-mean buffer */
    size_t dym_len, dym_cap;
    int corrected;
    int literal;           /* parsing a +word or -word: its own forms only, no synonyms */
    ms_spell_words *words; /* this parse's own, when opts->words is NULL */
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
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = xstrndup(s, len);
}

static void add_ent(ms_qinfo *info, ms_entkind k, int entry, const char *name)
{
    for (size_t i = 0; i < info->n_ents; i++)
        if (info->ents[i].kind == k && strcmp(info->ents[i].name, name) == 0)
            return;
    info->ents = xrealloc(info->ents, (info->n_ents + 1) * sizeof *info->ents);
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
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
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
    char *p = pl + n < sizeof buf ? buf : xrealloc(NULL, pl + n);
    memcpy(p, prefix, pl);
    memcpy(p + pl, t, n);
    msx_query *q = msx_query_term(p, pl + n, 1, pos);
    if (p != buf)
        free(p);
    return q;
}

static unsigned termfreq(const parser *p, const char *prefix, const char *t, size_t n)
{
    char buf[MS_TERM_MAX * 2 + 16];
    size_t pl = strlen(prefix);
    if (!p->db || pl + n >= sizeof buf)
        return 0;
    memcpy(buf, prefix, pl);
    memcpy(buf + pl, t, n);
    unsigned f = 0;
    msx_db_termfreq(p->db, buf, pl + n, &f, NULL);
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
            memcpy(w, s, len); /* stopwords are only indexed unstemmed */
        else
            wl = ms_analyzer_stem(p->env->an, s, len, w, sizeof w);
        w[wl < MS_TERM_MAX ? wl : MS_TERM_MAX] = '\0';
        size_t i = 0;
        while (i < info->n_heads && strcmp(info->heads[i].word, w) != 0)
            i++;
        if (i == info->n_heads) {
            info->heads = xrealloc(info->heads, (i + 1) * sizeof *info->heads);
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

static void dym_append(parser *p, const char *s, size_t n)
{
    if (p->dym_len + n + 2 > p->dym_cap) {
        p->dym_cap = (p->dym_len + n + 2) * 2;
        p->dym = xrealloc(p->dym, p->dym_cap);
    }
    if (p->dym_len)
        p->dym[p->dym_len++] = ' ';
    memcpy(p->dym + p->dym_len, s, n);
    p->dym_len += n;
    p->dym[p->dym_len] = '\0';
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
    unsigned min_freq; /* candidates must be at least this frequent */
    uint32_t letters;  /* of word: see letter_set */
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
    if (n + 2 < c->len || n > c->len + 2 || freq < c->min_freq ||
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

/* The plain words of one first letter: NUL-terminated in buf, with their
 * offsets and term frequencies. */
typedef struct letter_words {
    int listed;
    char *buf;
    size_t len, cap;
    size_t *off;
    unsigned *freq;
    uint32_t *letters; /* letter_set of each */
    size_t n, ncap;
} letter_words;

struct ms_spell_words {
    letter_words letter[26];
};

ms_spell_words *ms_spell_words_new(void)
{
    ms_spell_words *w = xrealloc(NULL, sizeof *w);
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
        free(l->off);
        free(l->freq);
        free(l->letters);
        memset(l, 0, sizeof *l);
    }
}

void ms_spell_words_free(ms_spell_words *w)
{
    ms_spell_words_clear(w);
    free(w);
}

static int keep_word(void *ctx, const char *t, size_t n, unsigned freq)
{
    letter_words *l = ctx;
    if (!plain_word(t, n))
        return 0;
    if (l->len + n + 1 > l->cap) {
        l->cap = (l->len + n + 1) * 2;
        l->buf = xrealloc(l->buf, l->cap);
    }
    if (l->n == l->ncap) {
        l->ncap = l->ncap ? l->ncap * 2 : 256;
        l->off = xrealloc(l->off, l->ncap * sizeof *l->off);
        l->freq = xrealloc(l->freq, l->ncap * sizeof *l->freq);
        l->letters = xrealloc(l->letters, l->ncap * sizeof *l->letters);
    }
    memcpy(l->buf + l->len, t, n);
    l->buf[l->len + n] = '\0';
    l->off[l->n] = l->len;
    l->freq[l->n] = freq;
    l->letters[l->n++] = letter_set(t, n);
    l->len += n + 1;
    return 0;
}

/* A correction for a word the index does not know, or NULL: the most frequent
 * index word within two edits (one for short words) that starts with the same
 * letter and occurs in at least min_freq passages. The candidates are the index's own terms, so
 * suggestions follow the corpus as documents come and go, and work over remote shards too. */
static char *correction(parser *p, const char *t, size_t n, unsigned min_freq)
{
    if (!p->db || !p->opts->spelling || n < 4 || !plain_word(t, n))
        return NULL; /* numbers, doses and other scripts are never rewritten */
    if (termfreq(p, "", t, n) > 0)
        return NULL;
    spell_ctx c = {t, n, n < 6 ? 1 : 2, 0, min_freq, letter_set(t, n), ""};
    char prefix[2] = {t[0], '\0'};
    ms_spell_words *w = p->opts->words;
    if (!w)
        w = p->words ? p->words : (p->words = ms_spell_words_new());
    letter_words *l = &w->letter[t[0] - 'a'];
    if (!l->listed) {
        if (msx_db_allterms(p->db, prefix, keep_word, l, NULL) != MSX_OK) {
            ms_spell_words_clear(w); /* a partial list would miss words */
            return NULL;
        }
        l->listed = 1;
    }
    for (size_t i = 0; i < l->n; i++) {
        size_t wl = (i + 1 < l->n ? l->off[i + 1] : l->len) - l->off[i] - 1;
        spell_candidate(&c, l->buf + l->off[i], wl, l->freq[i], l->letters[i]);
    }
    return c.best[0] ? xstrndup(c.best, strlen(c.best)) : NULL;
}

/* The free-text query of text[0..len). */
static msx_query *free_text(parser *p, const char *text, size_t len)
{
    const ms_env *env = p->env;
    ms_tokens *t = &p->toks;
    ms_tokens_reset(t);
    ms_analyze(env->an, text, len, 1, t);
    p->ents.n = 0;
    ms_lexicon_tag(env->lex, text, t, &p->ents);

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
    for (size_t i = 0; i < t->n; i++) {
        const ms_token *k = &t->v[i];
        const char *s = ms_token_term(t, k);
        int stop = ms_is_stopword(s, k->len) || IN(filler, s, k->len);
        if (content && stop)
            continue;
        add_str(&p->info->terms, &p->info->n_terms, s, k->len);
        if ((k->flags & (MS_TOK_NUMBER | MS_TOK_CJK | MS_TOK_ALT)) || ms_is_stopword(s, k->len)) {
            /* no stems for these: the index has them unstemmed only */
            ql_add(&words, term("", s, k->len, 0));
        } else {
            size_t sl = ms_analyzer_stem(env->an, s, k->len, stem, sizeof stem);
            add_str(&p->info->stems, &p->info->n_stems, stem, sl);
            msx_query *q = term("Z", stem, sl, 0);
            /* a word the index lacks whose stem is rare next to a close word:
               "migrane" stems like "migrans" but means "migraine" */
            unsigned sf = termfreq(p, "Z", stem, sl);
            char *fix = correction(p, s, k->len, sf ? 10 * sf : 2);
            if (fix) {
                size_t fl = strlen(fix);
                size_t fsl = ms_analyzer_stem(env->an, fix, fl, stem, sizeof stem);
                add_str(&p->info->terms, &p->info->n_terms, fix, fl);
                add_str(&p->info->stems, &p->info->n_stems, stem, fsl);
                q = binary(MSX_OP_OR, q, term("Z", stem, fsl, 0));
                dym_append(p, fix, fl);
                p->corrected = 1;
            } else {
                dym_append(p, s, k->len);
            }
            free(fix);
            ql_add(&words, q);
        }
    }
    for (size_t e = 0; e < p->ents.n; e++) {
        const ms_entity *en = &p->ents.v[e];
        const char *name = ms_entity_name(env->lex, en, t);
        add_ent(p->info, en->kind, en->entry, name);
        if (p->opts->expand && !p->literal && en->entry >= 0)
            ql_add(&words, scaled(expansion(p, en->kind, en->entry), EXPAND_W));
    }
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
        p->it = xrealloc(p->it, p->cap * sizeof *p->it);
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
        if (colon && colon > s) {
            int f = field_of(s, (size_t)(colon - s));
            if (f >= 0 && colon[1] && !is_space(colon[1])) {
                it.field = f;
                s = colon + 1;
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

/* A phrase (or word) of text, over the positional (unprefixed) terms. */
static msx_query *phrase(parser *p, const char *s, size_t n)
{
    ms_tokens *t = &p->toks;
    ms_tokens_reset(t);
    ms_analyze(p->env->an, s, n, 1, t);
    qlist l = {0};
    for (size_t i = 0; i < t->n; i++) {
        const ms_token *k = &t->v[i];
        if (k->flags & MS_TOK_ALT)
            continue;
        const char *w = ms_token_term(t, k);
        add_str(&p->info->terms, &p->info->n_terms, w, k->len);
        ql_add(&l, term("", w, k->len, k->pos));
    }
    if (l.n == 0)
        return NULL;
    return ql_combine(&l, l.n > 1 ? MSX_OP_PHRASE : MSX_OP_OR, 0);
}

/* title:"..." or section:"...": the words as a phrase, in passages whose
 * field holds every one of them. The field terms carry no positions; the
 * body's terms do, and each passage's title and heading are indexed at its
 * start, so the phrase is matched there (or, rarely, in the text of a
 * passage whose field has the words elsewhere). */
static msx_query *field_phrase(parser *p, const item *it, const char *fp)
{
    msx_query *ph = phrase(p, it->s, it->n);
    if (!ph)
        return NULL;
    const ms_tokens *t = &p->toks; /* the phrase's words */
    qlist l = {0};
    for (size_t i = 0; i < t->n; i++)
        if (!(t->v[i].flags & MS_TOK_ALT))
            ql_add(&l, term(fp, ms_token_term(t, &t->v[i]), t->v[i].len, 0));
    return binary(MSX_OP_FILTER, ph, ql_combine(&l, MSX_OP_AND, 0));
}

/* title:word or section:word: the word's unstemmed and stemmed field terms. */
static msx_query *field_words(parser *p, const item *it, const char *fp, const char *zp)
{
    if (it->type == L_PHRASE)
        return field_phrase(p, it, fp);
    ms_tokens *t = &p->toks;
    ms_tokens_reset(t);
    ms_analyze(p->env->an, it->s, it->n, 1, t);
    qlist l = {0};
    char stem[MS_TERM_MAX + 8];
    for (size_t i = 0; i < t->n; i++) {
        const ms_token *k = &t->v[i];
        if (k->flags & MS_TOK_ALT)
            continue;
        const char *w = ms_token_term(t, k);
        add_str(&p->info->terms, &p->info->n_terms, w, k->len);
        if (ms_is_stopword(w, k->len)) {
            ql_add(&l, term(fp, w, k->len, 0));
            continue;
        }
        size_t sl = ms_analyzer_stem(p->env->an, w, k->len, stem, sizeof stem);
        ql_add(&l, term(zp, stem, sl, 0));
    }
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
        add_ent(p->info, kind, -1, name);
        ql_add(&l, msx_query_term(tb, ms_entity_term(kind, name, tb, sizeof tb), 1, 0));
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

static msx_query *wildcard(parser *p, const item *it)
{
    char buf[MS_TERM_MAX + 8];
    size_t n = ms_analyzer_fold(p->env->an, it->s, it->n, buf, sizeof buf - 1);
    buf[n] = '\0';
    msx_query *q = NULL;
    if (msx_query_wildcard(buf, 100, &q, NULL) != MSX_OK)
        return NULL;
    add_str(&p->info->terms, &p->info->n_terms, buf, n);
    return q;
}

/* One operand: a word, phrase, field, wildcard or parenthesised expression.
 * Free words are not handled here (see parse_group). */
static msx_query *parse_operand(parser *p, const item *it)
{
    if (it->type == L_LP) {
        msx_query *q = parse_or(p);
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
    return free_text(p, it->s, it->n);
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
    size_t flen = 0;
    while (!ends_group(peek(p)->type)) {
        item it = *peek(p);
        p->i++;
        if (it.type == L_NEAR) {
            syntax_error(p, "NEAR without a left operand");
            continue;
        }
        int plain = it.type == L_WORD && it.field < 0 && !it.sign;
        if (plain && peek(p)->type != L_NEAR) {
            freebuf = xrealloc(freebuf, flen + it.n + 2);
            if (flen)
                freebuf[flen++] = ' ';
            memcpy(freebuf + flen, it.s, it.n);
            flen += it.n;
            continue;
        }
        msx_query *q;
        if (peek(p)->type == L_NEAR) {
            qlist nl = {0};
            unsigned window = peek(p)->near;
            ql_add(&nl, it.type == L_WORD && it.field < 0 ? phrase(p, it.s, it.n)
                                                          : parse_operand(p, &it));
            while (peek(p)->type == L_NEAR) {
                p->i++;
                item r = *peek(p);
                if (r.type != L_WORD && r.type != L_PHRASE) {
                    syntax_error(p, "NEAR needs a word or phrase on each side");
                    break;
                }
                p->i++;
                ql_add(&nl, phrase(p, r.s, r.n));
            }
            q = ql_combine(&nl, MSX_OP_NEAR, window + nl.n - 1);
        } else {
            p->literal = it.sign != 0;
            q = parse_operand(p, &it);
            p->literal = 0;
        }
        if (it.field == F_SOURCE)
            ql_add(&filt, q);
        else if (it.sign == '+')
            ql_add(&req, q);
        else if (it.sign == '-')
            ql_add(&exc, q);
        else
            ql_add(&opt, q);
    }
    if (flen)
        ql_add(&opt, free_text(p, freebuf, flen));
    free(freebuf);
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

int ms_query_parse(const ms_env *env, const msx_db *db, const char *q, const ms_qopts *opts,
                   msx_query **out, ms_qinfo *info, ms_error *err)
{
    memset(info, 0, sizeof *info);
    parser p = {.env = env, .db = db, .opts = opts, .info = info};
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
            p.dym_len = 0;
            p.corrected = 0;
            r = parse_all(&p, q);
        }
    }
    info->natural = p.natural;
    if (rc == 0 && p.corrected && p.dym)
        info->did_you_mean = xstrndup(p.dym, p.dym_len);
    *out = rc == 0 ? r : NULL;
    free(p.it);
    free(p.dym);
    ms_spell_words_free(p.words);
    ms_tokens_free(&p.toks);
    ms_entities_free(&p.ents);
    return rc;
}
