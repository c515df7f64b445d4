/* Unit tests of the analyzer: normalization, offsets, word rules, stemming. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/analyze.h"

static ms_analyzer *an;
static ms_tokens toks;

static int setup(void **state)
{
    (void)state;
    ms_error err;
    an = ms_analyzer_new(NULL, &err);
    ms_tokens_init(&toks);
    return an ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ms_tokens_free(&toks);
    ms_analyzer_free(an);
    return 0;
}

static void run(const char *text)
{
    ms_tokens_reset(&toks);
    ms_analyze(an, text, strlen(text), 1, &toks);
}

/* The index of the token with term t (and the given ALT-ness), or -1. */
static int find(const char *t, int alt)
{
    for (size_t i = 0; i < toks.n; i++)
        if (strcmp(ms_token_term(&toks, &toks.v[i]), t) == 0 &&
            !!(toks.v[i].flags & MS_TOK_ALT) == alt)
            return (int)i;
    return -1;
}

/* The primary terms, space-separated. */
static const char *primaries(void)
{
    static char buf[1024];
    size_t w = 0;
    for (size_t i = 0; i < toks.n; i++) {
        if (toks.v[i].flags & MS_TOK_ALT)
            continue;
        w += (size_t)snprintf(buf + w, sizeof buf - w, "%s%s", w ? " " : "",
                              ms_token_term(&toks, &toks.v[i]));
    }
    buf[w] = '\0';
    return buf;
}

static void test_ascii_words_and_offsets(void **state)
{
    (void)state;
    const char *text = "Small Bumps, on the  PALMS.";
    run(text);
    assert_string_equal(primaries(), "small bumps on the palms");
    int i = find("palms", 0);
    assert_true(i >= 0);
    assert_int_equal(toks.v[i].start, 21);
    assert_int_equal(toks.v[i].end, 26);
    assert_int_equal(toks.v[i].pos, 5);
    assert_memory_equal(text + toks.v[i].start, "PALMS", 5);
}

static void test_normalization(void **state)
{
    (void)state;
    /* NFD é, the fi ligature, full-width H1 */
    const char *text = "cafe\xCC\x81 \xEF\xAC\x81"
                       "brosis \xEF\xBC\xA8\xEF\xBC\x91";
    run(text);
    assert_string_equal(primaries(), "cafe fibrosis h1");
    int i = find("fibrosis", 0);
    assert_int_equal(toks.v[i].start, 7);
    assert_int_equal(toks.v[i].end, 7 + 3 + 6);
    /* offsets point into the original bytes */
    i = find("h1", 0);
    assert_int_equal(toks.v[i].end - toks.v[i].start, 6);
}

static void test_accents(void **state)
{
    (void)state;
    run("Sj\xC3\xB6gren\xE2\x80\x99s syndrome");
    assert_true(find("sjogren's", 0) >= 0);
    assert_true(find("sjogren", 1) >= 0);
    ms_error err;
    ms_analyzer_opts o = {NULL, 1};
    ms_analyzer *keep = ms_analyzer_new(&o, &err);
    ms_tokens_reset(&toks);
    const char *t = "Sj\xC3\xB6gren";
    ms_analyze(keep, t, strlen(t), 1, &toks);
    assert_string_equal(primaries(), "sj\xC3\xB6gren");
    assert_string_not_equal(ms_analyzer_settings(keep), ms_analyzer_settings(an));
    ms_analyzer_free(keep);
}

static void test_apostrophes(void **state)
{
    (void)state;
    run("Crohn's disease and Alzheimer\xE2\x80\x99s; don't");
    assert_true(find("crohn's", 0) >= 0);
    int a = find("crohn", 1);
    assert_true(a >= 0);
    assert_int_equal(toks.v[a].pos, toks.v[find("crohn's", 0)].pos);
    assert_true(find("alzheimer's", 0) >= 0);
    assert_true(find("alzheimer", 1) >= 0);
    assert_true(find("don't", 0) >= 0);
    assert_int_equal(find("don", 1), -1);
}

/* Romance elisions go; "all's" keeps its 's. */
static void test_elisions(void **state)
{
    (void)state;
    const char *text = "L'ecz\xC3\xA9ma d\xE2\x80\x99"
                       "eczema qu'il dell'orecchio all's well";
    run(text);
    assert_string_equal(primaries(), "eczema eczema il orecchio all's well");
    int i = find("orecchio", 0);
    assert_memory_equal(text + toks.v[i].start, "orecchio", 8);
    i = find("eczema", 0);
    assert_int_equal(toks.v[i].start, 2);
    assert_true(find("all", 1) >= 0);
}

static void test_hyphens(void **state)
{
    (void)state;
    run("anti-inflammatory H1-antihistamine COVID-19 urea-vitamin E");
    assert_string_equal(primaries(), "anti inflammatory h1 antihistamine covid 19 urea vitamin e");
    int whole = find("anti-inflammatory", 1);
    assert_true(whole >= 0);
    assert_int_equal(toks.v[whole].pos, toks.v[find("anti", 0)].pos);
    assert_int_equal(toks.v[whole].start, 0);
    assert_int_equal(toks.v[whole].end, 17);
    assert_true(find("h1-antihistamine", 1) >= 0);
    assert_true(find("covid-19", 1) >= 0);
    assert_true(find("urea-vitamin", 1) >= 0);
    /* a dash between spaces joins nothing */
    run("rash - itching");
    assert_string_equal(primaries(), "rash itching");
    assert_int_equal(toks.n, 2);
}

static void test_numbers_and_doses(void **state)
{
    (void)state;
    run("0.1% cream, 10 mg or 10mg, 2.5 and 1,25-dihydroxyvitamin D3, 5-fluorouracil");
    assert_true(find("0.1%", 0) >= 0);
    assert_true(find("2.5", 0) >= 0);
    assert_true(find("d3", 0) >= 0);
    int j1 = find("10mg", 1);
    assert_true(j1 >= 0);
    /* both spellings give the joined form and the number + unit pair */
    int count = 0;
    for (size_t i = 0; i < toks.n; i++)
        if (strcmp(ms_token_term(&toks, &toks.v[i]), "10mg") == 0)
            count++;
    assert_int_equal(count, 2);
    count = 0;
    for (size_t i = 0; i < toks.n; i++)
        if (strcmp(ms_token_term(&toks, &toks.v[i]), "mg") == 0)
            count++;
    assert_int_equal(count, 2);
    assert_true(find("1,25-dihydroxyvitamin", 1) >= 0);
    assert_true(find("1,25", 0) >= 0);
    assert_true(find("5-fluorouracil", 1) >= 0);
    assert_true(find("fluorouracil", 0) >= 0);
    /* a word after digits that is no unit stays one token */
    run("2nd");
    assert_string_equal(primaries(), "2nd");
}

static void test_cjk_bigrams(void **state)
{
    (void)state;
    const char *text =
        "at a\xE6\xAD\xA3\xE8\xA7\x84 hospital \xE7\x97\x85\xE6\xAF\x92\xE6\x80\xA7 x \xE7\x97\x85";
    run(text);
    int i = find("\xE6\xAD\xA3\xE8\xA7\x84", 0); /* 正规 */
    assert_true(i >= 0);
    assert_int_equal(toks.v[i].flags & MS_TOK_CJK, MS_TOK_CJK);
    assert_memory_equal(text + toks.v[i].start, "\xE6\xAD\xA3\xE8\xA7\x84", 6);
    assert_true(find("a", 0) >= 0);
    /* three characters: two overlapping bigrams */
    assert_true(find("\xE7\x97\x85\xE6\xAF\x92", 0) >= 0);
    assert_true(find("\xE6\xAF\x92\xE6\x80\xA7", 0) >= 0);
    /* a single character gives itself */
    assert_true(find("\xE7\x97\x85", 0) >= 0);
}

static void test_symbols_invalid_and_caps(void **state)
{
    (void)state;
    const char *text = "itch \xF0\x9F\x98\x80 \xE2\x84\xA2 bad\xFF\xFEword";
    run(text);
    assert_string_equal(primaries(), "itch bad word");
    assert_int_equal(toks.invalid_bytes, 2);
    char longword[200];
    memset(longword, 'a', 150);
    longword[150] = '\0';
    run(longword);
    assert_int_equal(toks.n, 1);
    assert_int_equal(toks.v[0].len, MS_TERM_MAX);
    assert_int_equal(toks.capped, 1);
    assert_int_equal(toks.v[0].end, 150);
}

static void test_stemming_policy(void **state)
{
    (void)state;
    char out[100];
    struct {
        const char *word, *stem;
    } cases[] = {{"sinusitis", "sinusitis"},
                 {"sinus", "sinus"},
                 {"hepatitis", "hepatitis"},
                 {"meningitis", "meningitis"},
                 {"tonsillitis", "tonsillitis"},
                 {"organism", "organism"},
                 {"organisms", "organism"},
                 {"melanomas", "melanoma"},
                 {"psoriasis", "psoriasis"},
                 {"itching", "itch"},
                 {"tablets", "tablet"},
                 {"statins", "statin"},
                 {"clotrimazole", "clotrimazole"},
                 {"covid19", "covid19"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ms_analyzer_stem(an, cases[i].word, strlen(cases[i].word), out, sizeof out);
        assert_string_equal(out, cases[i].stem);
    }
    /* sinusitis never meets sinus */
    char a[100], b[100];
    ms_analyzer_stem(an, "sinusitis", 9, a, sizeof a);
    ms_analyzer_stem(an, "sinus", 5, b, sizeof b);
    assert_string_not_equal(a, b);
    /* the cache gives the same answer twice */
    ms_analyzer_stem(an, "itching", 7, out, sizeof out);
    assert_string_equal(out, "itch");
}

static void test_bad_language_and_none(void **state)
{
    (void)state;
    ms_error err;
    ms_analyzer_opts o = {"klingon", 0};
    assert_null(ms_analyzer_new(&o, &err));
    assert_non_null(strstr(err.msg, "klingon"));
    ms_analyzer_opts n = {"none", 0};
    ms_analyzer *none = ms_analyzer_new(&n, &err);
    assert_non_null(none);
    char out[32];
    ms_analyzer_stem(none, "itching", 7, out, sizeof out);
    assert_string_equal(out, "itching");
    ms_analyzer_opts f = {"french", 0};
    ms_analyzer *fr = ms_analyzer_new(&f, &err);
    assert_non_null(fr);
    ms_analyzer_stem(fr, "maladies", 8, out, sizeof out);
    assert_string_equal(out, "malad");
    ms_analyzer_free(fr);
    ms_analyzer_free(none);
}

static void test_stopwords(void **state)
{
    (void)state;
    assert_true(ms_is_stopword("the", 3));
    assert_true(ms_is_stopword("what", 4));
    assert_false(ms_is_stopword("not", 3));
    assert_false(ms_is_stopword("vitamin", 7));
    /* every one of them (the lookup is a binary search: a list out of
       order would lose some), and words next to them in byte order */
    static const char *const all[] = {
        "a",     "i",     "am",    "an",    "as",    "at",     "be",    "by",    "do",    "he",
        "if",    "in",    "is",    "it",    "me",    "my",     "of",    "on",    "or",    "so",
        "to",    "us",    "we",    "all",   "and",   "any",    "are",   "but",   "can",   "did",
        "for",   "had",   "has",   "her",   "him",   "his",    "how",   "i'm",   "its",   "our",
        "she",   "the",   "too",   "was",   "who",   "why",    "you",   "also",  "been",  "does",
        "from",  "have",  "here",  "hers",  "into",  "it's",   "just",  "some",  "such",  "than",
        "that",  "them",  "then",  "they",  "this",  "very",   "were",  "what",  "when",  "whom",
        "will",  "with",  "your",  "about", "being", "could",  "doing", "their", "there", "these",
        "those", "where", "which", "while", "would", "having", "should"};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        assert_true(ms_is_stopword(all[i], strlen(all[i])));
    static const char *const near[] = {"b",    "ab",   "zz",  "aa",      "ann",   "yow",
                                       "abou", "zzzz", "whe", "shoulds", "havin", "al"};
    for (size_t i = 0; i < sizeof near / sizeof *near; i++)
        assert_false(ms_is_stopword(near[i], strlen(near[i])));
    /* nothing is dropped at analysis time */
    run("hepatitis A is not contagious");
    assert_string_equal(primaries(), "hepatitis a is not contagious");
}

static void test_positions_continue(void **state)
{
    (void)state;
    ms_tokens_reset(&toks);
    uint32_t next = ms_analyze(an, "one two", 7, 1, &toks);
    assert_int_equal(next, 3);
    next = ms_analyze(an, "three", 5, next + 10, &toks);
    assert_int_equal(toks.v[2].pos, 13);
    assert_int_equal(next, 14);
}

/* A word of ASCII letters takes a short way through the analyzer unless
 * what follows may join it; right after a number ("5 ") it takes the
 * general one (a unit could follow). Both give the same tokens, whatever
 * byte comes next, and however long the word (the short way reads eight
 * bytes at a time where the text has them). */
static void test_letter_words_either_way(void **state)
{
    (void)state;
    ms_tokens direct;
    ms_tokens_init(&direct);
    for (int k = 1; k <= 20; k++)
        for (int c = 1; c < 256; c++) {
            char text[64], after[72];
            int n = snprintf(text, sizeof text, "%.*s%cs x and a Longer tail", k,
                             "RashEsRashesRASHesRash", c);
            snprintf(after, sizeof after, "5 %s", text);
            ms_tokens_reset(&direct);
            ms_analyze(an, text, (size_t)n, 1, &direct);
            ms_tokens_reset(&toks);
            ms_analyze(an, after, (size_t)n + 2, 1, &toks);
            assert_true(toks.n >= 1 && toks.n - 1 == direct.n);
            assert_int_equal(direct.invalid_bytes, toks.invalid_bytes);
            for (size_t i = 0; i < direct.n; i++) {
                const ms_token *d = &direct.v[i], *g = &toks.v[i + 1];
                assert_string_equal(ms_token_term(&direct, d), ms_token_term(&toks, g));
                assert_int_equal(d->flags, g->flags);
                assert_int_equal(d->pos + 1, g->pos);
                assert_int_equal(d->start + 2, g->start);
                assert_int_equal(d->end + 2, g->end);
            }
        }
    ms_tokens_free(&direct);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_words_and_offsets),
        cmocka_unit_test(test_normalization),
        cmocka_unit_test(test_accents),
        cmocka_unit_test(test_apostrophes),
        cmocka_unit_test(test_elisions),
        cmocka_unit_test(test_hyphens),
        cmocka_unit_test(test_numbers_and_doses),
        cmocka_unit_test(test_cjk_bigrams),
        cmocka_unit_test(test_symbols_invalid_and_caps),
        cmocka_unit_test(test_stemming_policy),
        cmocka_unit_test(test_bad_language_and_none),
        cmocka_unit_test(test_stopwords),
        cmocka_unit_test(test_positions_continue),
        cmocka_unit_test(test_letter_words_either_way),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
