/*
 * fuzz_query - ms_query_parse on arbitrary strings, with spelling.
 *
 * The parser is the part of medsearch that takes what anybody types, so it
 * runs with the real lexicon (expansion on) in both modes. The contract of
 * query.h: a query over the size limits (MS_QUERY_MAX_BYTES,
 * MS_QUERY_MAX_WORDS) fails in both modes with one message; any other never
 * fails in non-strict mode (malformed syntax, nesting too deep included,
 * falls back to plain words); strict mode fails exactly when non-strict had
 * to fall back, and when it succeeds both modes build the same query.
 *
 * Spelling asks its questions of a word source (query/spelling.h): here one
 * held in memory, a few passages of medical text stemmed by the real
 * analyzer, so that misspellings of their words ("migrane", the dev set's
 * "psoraisis") reach the corrections. Without an index (no source)
 * spelling is a no-op: a query with no correction is the same either way.
 * A source that fails partway (as a shard that stops answering) fails the
 * parse with the index's message, exactly when it failed.
 */
#include "analysis/analyze.h"
#include "base/util.h"
#include "fuzz_common.h"
#include "index/settings.h"
#include "query/query.h"
#include "query/spelling.h"

static ms_env env;

/* ---- an index in memory: passages, and the stems they hold ---- */

typedef struct passage {
    const char *title, *section, *text;
    int unreadable; /* its stems are indexed, its record cannot be read */
} passage;

/* Common words in many passages (candidates need 2, or 10 times the
 * misspelt stem's passages), a few in one only (rare stems). */
static const passage passages[] = {
    {"Migraine", "Symptoms",
     "A migraine is a severe headache with nausea and sensitivity to light.", 0},
    {"Migraine", "Treatment", "Ibuprofen or paracetamol can relieve a migraine headache.", 0},
    {"Eczema", "Overview", "Eczema makes the skin itchy, red and dry. Treatment with emollients.",
     0},
    {"Eczema", "Treatment", "Moisturisers and steroid creams are the usual treatment of eczema.",
     0},
    {"Psoriasis", "Symptoms", "Psoriasis causes red, scaly patches on the elbows and knees.", 0},
    {"Psoriasis", "Treatment", "Treatment of psoriasis includes creams and light therapy.", 0},
    {"Alzheimer's disease", "Symptoms", "Memory loss is an early sign of Alzheimer's disease.", 0},
    {"Alzheimer's disease", "Treatment", "Medicines can slow Alzheimer's disease down.", 0},
    {"Diabetes", "Symptoms", "Thirst, tiredness and a headache can be symptoms of diabetes.", 0},
    {"Diabetes", "Treatment", "Insulin and metformin are a treatment of diabetes.", 0},
    {"Asthma", "Causes", "Asthma attacks are triggered by pollen, smoke and infections.", 0},
    {"Asthma", "Treatment", "An inhaler is the treatment of asthma attacks.", 0},
    {"Hay fever", "Treatment", "Antihistamines such as cetirizine relieve hay fever.", 0},
    {"Headache", "Causes", "A headache can come from stress, dehydration or a migraine.", 1},
    {"Phototherapy", "Treatment", "Phototherapy treats skin conditions with light.", 0},
    {"Heart attack", "Symptoms", "Chest pain and breathlessness are symptoms of a heart attack.",
     0},
};
#define N_PASSAGES (sizeof passages / sizeof *passages)

typedef struct stem {
    char s[MS_TERM_MAX + 1];
    size_t n;
    unsigned char in[N_PASSAGES]; /* 1: passage i holds it */
    unsigned freq;
} stem;

static stem *stems;
static size_t n_stems;

static void hold(const char *s, size_t n, size_t passage)
{
    size_t i = 0;
    while (i < n_stems && !(stems[i].n == n && memcmp(stems[i].s, s, n) == 0))
        i++;
    if (i == n_stems) {
        stems = realloc(stems, (n_stems + 1) * sizeof *stems);
        if (!stems)
            abort();
        memset(&stems[i], 0, sizeof stems[i]);
        memcpy(stems[i].s, s, n);
        stems[i].n = n;
        n_stems++;
    }
    if (!stems[i].in[passage])
        stems[i].freq++;
    stems[i].in[passage] = 1;
}

static int by_bytes(const void *a, const void *b)
{
    const stem *x = a, *y = b;
    int c = memcmp(x->s, y->s, x->n < y->n ? x->n : y->n);
    return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* The stems of the passages, as the indexer makes them (stemmed words). */
static void index_passages(void)
{
    ms_tokens t;
    ms_tokens_init(&t);
    char st[MS_TERM_MAX + 8];
    for (size_t p = 0; p < N_PASSAGES; p++) {
        const char *parts[3] = {passages[p].title, passages[p].section, passages[p].text};
        for (int i = 0; i < 3; i++) {
            ms_tokens_reset(&t);
            ms_analyze(env.an, parts[i], strlen(parts[i]), 1, &t);
            for (size_t j = 0; j < t.n; j++) {
                const char *w = ms_token_term(&t, &t.v[j]);
                if (!ms_token_stemmed(&t.v[j], w) || t.v[j].len > MS_TERM_MAX)
                    continue;
                size_t sl = ms_analyzer_stem(env.an, w, t.v[j].len, st, sizeof st);
                if (sl && sl <= MS_TERM_MAX)
                    hold(st, sl, p);
            }
        }
    }
    ms_tokens_free(&t);
    qsort(stems, n_stems, sizeof *stems, by_bytes);
}

/* The source's state: calls answered, and calls left before it fails (0:
 * it never does). */
typedef struct mem {
    unsigned calls;
    unsigned fail_in;
    msx_status fail_as;
    int failed;
} mem;

static int fails(mem *m, msx_error *e)
{
    m->calls++;
    if (m->fail_in == 0 || --m->fail_in > 0)
        return 0;
    m->failed = 1;
    e->status = m->fail_as;
    snprintf(e->type, sizeof e->type, "%s",
             m->fail_as == MSX_NETWORK ? "NetworkError" : "DatabaseModifiedError");
    snprintf(e->msg, sizeof e->msg, "%s", "the fuzzer's index stopped answering");
    return 1;
}

static const stem *find(const char *s, size_t n)
{
    stem key;
    if (n > MS_TERM_MAX)
        return NULL;
    memcpy(key.s, s, n);
    key.n = n;
    return bsearch(&key, stems, n_stems, sizeof *stems, by_bytes);
}

static msx_status mem_doccount(void *ctx, unsigned *n, msx_error *e)
{
    if (fails(ctx, e))
        return ((mem *)ctx)->fail_as;
    *n = N_PASSAGES;
    return MSX_OK;
}

static msx_status mem_freq(void *ctx, const char *s, size_t n, unsigned *f, msx_error *e)
{
    if (fails(ctx, e))
        return ((mem *)ctx)->fail_as;
    const stem *st = find(s, n);
    *f = st ? st->freq : 0;
    return MSX_OK;
}

static msx_status mem_stems(void *ctx, char c,
                            int (*fn)(void *fctx, const char *s, size_t n, unsigned freq),
                            void *fctx, msx_error *e)
{
    if (fails(ctx, e))
        return ((mem *)ctx)->fail_as;
    for (size_t i = 0; i < n_stems; i++)
        if (stems[i].s[0] == c && fn(fctx, stems[i].s, stems[i].n, stems[i].freq))
            break;
    return MSX_OK;
}

static msx_status mem_passages(void *ctx, const char *s, size_t n,
                               int (*fn)(void *fctx, const char *const *text), void *fctx,
                               msx_error *e)
{
    if (fails(ctx, e))
        return ((mem *)ctx)->fail_as;
    const stem *st = find(s, n);
    for (size_t p = 0; st && p < N_PASSAGES; p++) {
        if (!st->in[p])
            continue;
        const char *text[3] = {passages[p].title, passages[p].section, passages[p].text};
        if (fn(fctx, passages[p].unreadable ? NULL : text))
            break;
    }
    return MSX_OK;
}

static ms_word_source source(mem *m)
{
    return (ms_word_source){m, mem_doccount, mem_freq, mem_stems, mem_passages};
}

/* The stems listed for spelling, kept between inputs as a searcher keeps
 * them between queries (the source never changes). */
static ms_spell_words *words;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ms_error err = {0};
    ms_env_opts eo = {.lexicon_dir = FUZZ_LEXICON_DIR};
    FUZZ_SETUP(ms_env_open(&env, &eo, &err) == 0, &err);
    index_passages();
    words = ms_spell_words_new();
    return 0;
}

static void check_info(const ms_qinfo *info)
{
    FUZZ_CHECK(info->n_terms == 0 || info->terms, "terms missing");
    for (size_t i = 0; i < info->n_terms; i++)
        FUZZ_CHECK(info->terms[i] && info->terms[i][0], "term %zu empty", i);
    FUZZ_CHECK(info->n_stems == 0 || info->stems, "stems missing");
    for (size_t i = 0; i < info->n_stems; i++)
        FUZZ_CHECK(info->stems[i] && info->stems[i][0], "stem %zu empty", i);
    FUZZ_CHECK(info->n_ents == 0 || info->ents, "entities missing");
    for (size_t i = 0; i < info->n_ents; i++) {
        const ms_qent *e = &info->ents[i];
        FUZZ_CHECK(memchr(e->name, '\0', sizeof e->name) != NULL, "entity %zu name unterminated",
                   i);
        FUZZ_CHECK(e->kind == MS_ENT_DRUG || e->kind == MS_ENT_SYMPTOM ||
                       e->kind == MS_ENT_CONDITION,
                   "entity %zu kind %d", i, (int)e->kind);
        if (e->entry >= 0)
            FUZZ_CHECK(ms_lexicon_entry_name(env.lex, e->entry) != NULL, "entity %zu entry %d", i,
                       e->entry);
    }
    if (info->did_you_mean)
        FUZZ_CHECK(info->did_you_mean[0], "empty did-you-mean");
    if (info->qtype)
        (void)strlen(info->qtype);
}

/* An index that stops answering after a few calls (the input picks how
 * many, and whether as a shard or a changed index): the parse of q fails
 * with its message exactly when it did, and is the same as the loose parse
 * (lrc, its description ld, li) otherwise. It lists its stems afresh: a
 * failure leaves no partial list behind. */
static void check_failing(const char *q, size_t size, int lrc, const char *ld, const ms_qinfo *li)
{
    uint64_t h = ms_fnv1a(MS_FNV_BASIS, q, size);
    mem fm = {.fail_in = 1 + (unsigned)(h % 8), .fail_as = h & 8 ? MSX_NETWORK : MSX_ERROR};
    ms_word_source fws = source(&fm);
    ms_qopts fresh = {.expand = 1, .spelling = 1, .strict = 0};
    ms_error ferr = {0};
    ms_qinfo fi;
    msx_query *fq = NULL;
    int frc = ms_query_parse_words(&env, &fws, q, &fresh, &fq, &fi, &ferr);
    if (lrc == 0 && fm.failed) {
        FUZZ_CHECK(frc == -1, "the index failed, but the parse did not");
        fuzz_check_error(&ferr);
        FUZZ_CHECK(ferr.code == (fm.fail_as == MSX_NETWORK ? MS_ESHARD : MS_ECHANGED),
                   "index failure reported with code %d", (int)ferr.code);
        FUZZ_CHECK(strstr(ferr.msg, "stopped answering") != NULL, "index failure said: %s",
                   ferr.msg);
        FUZZ_CHECK(fq == NULL, "a failed parse still gave a query");
    } else if (lrc == 0) {
        char *fd = fq ? msx_query_describe(fq) : NULL;
        FUZZ_CHECK(frc == 0 && (fd == NULL) == (ld == NULL) && (!fd || strcmp(fd, ld) == 0),
                   "the index did not fail, but the parse differs (%d):\n  %s\n  %s", frc,
                   fd ? fd : "(none)", ld ? ld : "(none)");
        FUZZ_CHECK((fi.did_you_mean == NULL) == (li->did_you_mean == NULL) &&
                       (!fi.did_you_mean || strcmp(fi.did_you_mean, li->did_you_mean) == 0),
                   "the index did not fail, but the corrections differ");
        free(fd);
    }
    msx_query_free(fq);
    ms_qinfo_free(&fi);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *q = fuzz_strndup(data, size);

    ms_qopts strict = {.expand = 1, .spelling = 1, .strict = 1, .words = words};
    ms_qopts loose = {.expand = 1, .spelling = 1, .strict = 0, .words = words};
    mem m = {0};
    ms_word_source ws = source(&m);

    ms_error err = {0};
    ms_qinfo si, li;
    msx_query *sq = NULL, *lq = NULL;
    int src = ms_query_parse_words(&env, &ws, q, &strict, &sq, &si, &err);
    if (src != 0) {
        FUZZ_CHECK(src == -1, "strict parse returned %d", src);
        fuzz_check_error(&err);
        FUZZ_CHECK(err.code == MS_EUSAGE, "strict parse failed with code %d: %s", (int)err.code,
                   err.msg);
        FUZZ_CHECK(sq == NULL, "a failed parse still gave a query");
    } else {
        check_info(&si);
    }

    ms_error lerr = {0};
    int lrc = ms_query_parse_words(&env, &ws, q, &loose, &lq, &li, &lerr);
    if (lrc != 0) {
        FUZZ_CHECK(lrc == -1 && lerr.code == MS_EUSAGE &&
                       (strncmp(lerr.msg, "query too long (", 16) == 0 ||
                        strncmp(lerr.msg, "query has too many words (", 26) == 0),
                   "non-strict parse failed: %s", lerr.msg);
        FUZZ_CHECK(src != 0 && strcmp(err.msg, lerr.msg) == 0,
                   "over the size limits, but strict mode said: %s", src ? err.msg : "(nothing)");
        FUZZ_CHECK(lq == NULL, "a failed parse still gave a query");
    }
    check_info(&li);
    /* strict mode fails on malformed syntax (read as words otherwise) and
       on a name: that is no field or a field name the lexicon lacks (said
       otherwise) */
    if (lrc == 0) {
        int said = li.fallback || li.unknown_field || li.unknown_entity;
        FUZZ_CHECK(said == (src != 0), "fallback=%d unknown=%s%s but strict mode %s", li.fallback,
                   li.unknown_field ? li.unknown_field : "",
                   li.unknown_entity ? li.unknown_entity : "", src ? "failed" : "succeeded");
    }

    char *ld = lq ? msx_query_describe(lq) : NULL;
    if (lq)
        FUZZ_CHECK(ld != NULL, "no description of the query");
    if (src == 0) {
        char *sd = sq ? msx_query_describe(sq) : NULL;
        FUZZ_CHECK((sd == NULL) == (ld == NULL) && (!sd || strcmp(sd, ld) == 0),
                   "strict and non-strict queries differ:\n  %s\n  %s", sd ? sd : "(none)",
                   ld ? ld : "(none)");
        free(sd);
    }

    /* No index (db NULL): spelling must then be a no-op, not a crash; a
       query that had nothing to correct is the same without one. */
    ms_error nerr = {0};
    ms_qinfo ni;
    msx_query *nq = NULL;
    int nrc = ms_query_parse(&env, NULL, q, &loose, &nq, &ni, &nerr);
    FUZZ_CHECK(nrc == lrc, "without an index the parse returned %d, with one %d", nrc, lrc);
    FUZZ_CHECK(ni.did_you_mean == NULL, "a correction without an index: %s", ni.did_you_mean);
    if (nrc == 0 && !li.did_you_mean) {
        char *nd = nq ? msx_query_describe(nq) : NULL;
        FUZZ_CHECK((nd == NULL) == (ld == NULL) && (!nd || strcmp(nd, ld) == 0),
                   "no correction, but the query differs without an index:\n  %s\n  %s",
                   nd ? nd : "(none)", ld ? ld : "(none)");
        free(nd);
    }
    msx_query_free(nq);
    ms_qinfo_free(&ni);

    if (m.calls) /* (nothing to fail when spelling asked the index nothing) */
        check_failing(q, size, lrc, ld, &li);
    free(ld);

    msx_query_free(sq);
    msx_query_free(lq);
    /* Freed on failure too: the parse zeroes info first, and nothing in
     * query.h says a failed parse leaves nothing to free. */
    ms_qinfo_free(&si);
    ms_qinfo_free(&li);
    free(q);
    return 0;
}
