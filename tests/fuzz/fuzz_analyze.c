/*
 * fuzz_analyze - ms_analyze on arbitrary bytes.
 *
 * Every indexed article, query and snippet goes through this tokenizer, so
 * besides memory errors it checks the token contract of analyze.h: spans
 * inside the text, terms NUL-terminated in the term buffer and at most
 * MS_TERM_MAX bytes, valid UTF-8 whatever the input (invalid bytes are
 * skipped), positions that only move forward, and the same tokens on a
 * second run into a reused buffer. Two analyzers (accents folded with
 * stemming, accents kept without) cover both folding paths.
 */
#include "analysis/analyze.h"
#include "fuzz_common.h"

static ms_analyzer *fold_an, *keep_an;
static ms_tokens reused; /* kept across inputs, as the indexer does */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ms_error err = {0};
    ms_analyzer_opts fold = {"english", 0}, keep = {"none", 1};
    fold_an = ms_analyzer_new(&fold, &err);
    FUZZ_SETUP(fold_an, &err);
    keep_an = ms_analyzer_new(&keep, &err);
    FUZZ_SETUP(keep_an, &err);
    ms_tokens_init(&reused);
    return 0;
}

static void check_tokens(ms_analyzer *a, const ms_tokens *t, size_t len, uint32_t first_pos,
                         uint32_t next_pos)
{
    FUZZ_CHECK(next_pos >= first_pos, "position went back: %u -> %u", first_pos, next_pos);
    FUZZ_CHECK(t->blen <= t->bcap && t->n <= t->cap, "buffer accounting");
    FUZZ_CHECK(t->invalid_bytes <= len, "more invalid bytes than bytes");
    uint32_t last_primary = first_pos;
    int have_primary = 0;
    for (size_t i = 0; i < t->n; i++) {
        const ms_token *k = &t->v[i];
        FUZZ_CHECK(k->start <= k->end && k->end <= len, "token %zu span [%zu,%zu) of %zu", i,
                   k->start, k->end, len);
        FUZZ_CHECK(k->start < k->end, "token %zu has an empty span", i);
        FUZZ_CHECK(k->len <= MS_TERM_MAX, "token %zu term of %u bytes", i, k->len);
        FUZZ_CHECK(k->len > 0, "token %zu has an empty term", i);
        FUZZ_CHECK((size_t)k->off + k->len < t->blen, "token %zu term outside the buffer", i);
        const char *term = ms_token_term(t, k);
        FUZZ_CHECK(term[k->len] == '\0', "token %zu term not NUL-terminated", i);
        FUZZ_CHECK(strlen(term) == k->len, "token %zu term has a NUL inside", i);
        FUZZ_CHECK(fuzz_utf8_ok(term, k->len), "token %zu term is not valid UTF-8", i);
        FUZZ_CHECK((k->flags &
                    ~(MS_TOK_NUMBER | MS_TOK_CJK | MS_TOK_ALT | MS_TOK_JOINED | MS_TOK_CAPS)) == 0,
                   "token %zu has unknown flags %#x", i, k->flags);
        FUZZ_CHECK(k->pos >= first_pos && k->pos < next_pos, "token %zu position %u not in [%u,%u)",
                   i, k->pos, first_pos, next_pos);
        if (k->flags & MS_TOK_ALT) {
            /* an alternative sits at an earlier primary token's position */
            FUZZ_CHECK(have_primary && k->pos <= last_primary,
                       "alternative %zu at %u after primary %u", i, k->pos, last_primary);
        } else {
            FUZZ_CHECK(!have_primary || k->pos > last_primary,
                       "primary token %zu at %u, previous at %u", i, k->pos, last_primary);
            last_primary = k->pos;
            have_primary = 1;
        }
        /* Stemming takes any folded term; the stem must fit and be terminated. */
        char stem[MS_TERM_MAX + 8];
        memset(stem, 'x', sizeof stem);
        size_t sl = ms_analyzer_stem(a, term, k->len, stem, sizeof stem);
        FUZZ_CHECK(sl < sizeof stem && stem[sl] == '\0', "stem of token %zu: %zu bytes", i, sl);
    }
}

static void run(ms_analyzer *a, const char *text, size_t len)
{
    ms_tokens t;
    ms_tokens_init(&t);
    uint32_t first_pos = 1;
    uint32_t next = ms_analyze(a, text, len, first_pos, &t);
    check_tokens(a, &t, len, first_pos, next);

    /* Same text into a buffer that already held other tokens: identical
     * terms and spans, positions shifted by the start position. */
    ms_tokens_reset(&reused);
    uint32_t next2 = ms_analyze(a, text, len, 1000, &reused);
    FUZZ_CHECK(next2 - 1000 == next - first_pos, "a rerun gave %u positions, first run %u",
               next2 - 1000, next - first_pos);
    FUZZ_CHECK(reused.n == t.n, "a rerun gave %zu tokens, first run %zu", reused.n, t.n);
    for (size_t i = 0; i < t.n; i++) {
        const ms_token *x = &t.v[i], *y = &reused.v[i];
        FUZZ_CHECK(x->start == y->start && x->end == y->end && x->flags == y->flags &&
                       x->len == y->len && y->pos - 1000 == x->pos - first_pos &&
                       memcmp(ms_token_term(&t, x), ms_token_term(&reused, y), x->len) == 0,
                   "rerun token %zu differs", i);
    }

    /* Folding a whole span (as the query side folds a typed word) must stay
     * within the buffer it is given. */
    char folded[MS_TERM_MAX * 4];
    size_t fl = ms_analyzer_fold(a, text, len < 64 ? len : 64, folded, sizeof folded);
    FUZZ_CHECK(fl <= sizeof folded, "fold wrote %zu bytes into %zu", fl, sizeof folded);
    ms_tokens_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy: ASan then reports any read past the end. */
    char *text = malloc(size ? size : 1);
    if (!text)
        abort();
    if (size)
        memcpy(text, data, size);
    run(fold_an, text, size);
    run(keep_an, text, size);
    free(text);
    return 0;
}
