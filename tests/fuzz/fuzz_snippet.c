/*
 * fuzz_snippet - ms_snippet on arbitrary passage text.
 *
 * Snippets are cut from stored passage text with the analyzer's byte
 * offsets and carry highlight ranges into the snippet; an off-by-one there
 * is a heap overflow in the search path. The query side is a small ms_qinfo
 * from parsing a few fixed queries (words, a phrase, a number with its unit,
 * entities of each kind) and one written by hand with terms the parser
 * would not produce (CJK, an over-long term). The first input byte picks the
 * qinfo and the snippet length; the whole input is the text.
 */
#include "fuzz_common.h"
#include "search/search.h"

static ms_env env;

static const char *const queries[] = {
    "itchy rash treatment with cetirizine",
    "\"atopic dermatitis\" hydrocortisone cream",
    "10 mg loratadine for hay fever",
    "crohn's disease OR GERD -children",
    "what causes heartburn and a runny nose at night?",
};
#define N_PARSED (sizeof queries / sizeof *queries)
#define N_INFO (N_PARSED + 1)

static ms_qinfo infos[N_INFO];

/* The hand-written qinfo (static storage: never freed). */
static char *hand_terms[] = {"hives", "10mg", "感冒", "0.1%",
                             "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
static char *hand_stems[] = {"itch", "swell", "rash"};
static ms_qent hand_ents[] = {
    {MS_ENT_DRUG, -1, "cetirizine"},
    {MS_ENT_SYMPTOM, -1, "itching"},
    {MS_ENT_CONDITION, -1, "atopic dermatitis"},
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ms_error err = {0};
    ms_env_opts eo = {.lexicon_dir = FUZZ_LEXICON_DIR};
    FUZZ_SETUP(ms_env_open(&env, &eo, &err) == 0, &err);
    ms_qopts qo = {.expand = 1};
    for (size_t i = 0; i < N_PARSED; i++) {
        msx_query *q = NULL;
        FUZZ_SETUP(ms_query_parse(&env, NULL, queries[i], &qo, &q, &infos[i], &err) == 0, &err);
        msx_query_free(q);
    }
    ms_qinfo *h = &infos[N_PARSED];
    h->terms = hand_terms;
    h->n_terms = sizeof hand_terms / sizeof *hand_terms;
    h->stems = hand_stems;
    h->n_stems = sizeof hand_stems / sizeof *hand_stems;
    h->ents = hand_ents;
    h->n_ents = sizeof hand_ents / sizeof *hand_ents;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned sel = size ? data[0] : 0;
    const ms_qinfo *info = &infos[sel % N_INFO];
    /* 0 means the default length; otherwise 1..41 words, small ones hit the edges. */
    unsigned words = (sel / N_INFO) % 42;

    /* Exact-size copy, not terminated: stored passage text has a length. */
    char *text = malloc(size ? size : 1);
    if (!text)
        abort();
    if (size)
        memcpy(text, data, size);

    ms_hit hit;
    memset(&hit, 0, sizeof hit);
    ms_snippet(&env, info, text, size, words, &hit);

    FUZZ_CHECK(hit.snippet != NULL, "no snippet");
    FUZZ_CHECK(hit.snippet[hit.snippet_len] == '\0', "snippet not NUL-terminated");
    /* White space collapses and at most two ellipses (3 bytes each) are added. */
    FUZZ_CHECK(hit.snippet_len <= size + 6, "snippet of %zu bytes from %zu", hit.snippet_len, size);
    if (fuzz_utf8_ok(text, size))
        FUZZ_CHECK(fuzz_utf8_ok(hit.snippet, hit.snippet_len),
                   "snippet is not valid UTF-8 (the text was)");
    FUZZ_CHECK(hit.n_hl == 0 || hit.hl, "highlights missing");
    for (size_t i = 0; i < hit.n_hl; i++) {
        const ms_range *r = &hit.hl[i];
        FUZZ_CHECK(r->start < r->end && r->end <= hit.snippet_len, "highlight %zu [%zu,%zu) of %zu",
                   i, r->start, r->end, hit.snippet_len);
        FUZZ_CHECK(i == 0 || r->start >= hit.hl[i - 1].end, "highlight %zu overlaps the one before",
                   i);
    }

    free(hit.snippet);
    free(hit.hl);
    free(hit.explain);
    free(text);
    return 0;
}
