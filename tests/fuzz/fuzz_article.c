/*
 * fuzz_article - ms_article_parse for one format (FUZZ_FORMAT), built as
 * fuzz_article_text, fuzz_article_markdown, fuzz_article_html and, with
 * FUZZ_FRONTMATTER, fuzz_frontmatter (Markdown that starts with "---\n", so
 * that every input goes through the front-matter reader).
 *
 * Each input is parsed with the defaults and, depending on its length, once
 * more: odd lengths with the smallest passage bound, which drives the passage
 * splitter and the span search of cut paragraphs; lengths divisible by four
 * with a boilerplate table that has learned the input itself three times, so
 * that every line of it counts as site chrome. (Doing both for every input
 * would triple the cost of the slowest targets, HTML above all; the length
 * is a choice the fuzzer's mutations flip freely.) On success the
 * invariants of article.h must hold.
 */
#include "article/article.h"
#include "fuzz_common.h"

#ifndef FUZZ_FORMAT
#error "FUZZ_FORMAT must name an ms_format"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static void check_str(const char *s, int utf8, const char *what)
{
    if (!s)
        return;
    FUZZ_CHECK(!utf8 || fuzz_utf8_ok(s, strlen(s)), "%s is not valid UTF-8 (input was)", what);
}

static int is_ascii_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Where w[0..n) first occurs in s[from..to), or SIZE_MAX. */
static size_t find_bytes(const char *s, size_t from, size_t to, const char *w, size_t n)
{
    for (size_t i = from; i + n <= to; i++)
        if (memcmp(s + i, w, n) == 0)
            return i;
    return SIZE_MAX;
}

/* "Every word of a passage's text occurs, in order, in the source bytes
 * [start, end)". Checked for plain text only, where the text is the source
 * minus chrome, bullets and white space: Markdown and HTML text legitimately
 * differs from its source (entities, intra-word emphasis). Words are runs of
 * ASCII letters and digits, which no clean-up splits or joins. */
static void check_words(const ms_passage *p, size_t i, const char *data)
{
    size_t cur = p->start;
    for (size_t k = 0; k < p->text_len;) {
        if (!is_ascii_alnum(p->text[k])) {
            k++;
            continue;
        }
        size_t e = k;
        while (e < p->text_len && is_ascii_alnum(p->text[e]))
            e++;
        size_t at = find_bytes(data, cur, p->end, p->text + k, e - k);
        FUZZ_CHECK(at != SIZE_MAX, "passage %zu [%zu,%zu): word '%.*s' not in its span after %zu",
                   i, p->start, p->end, (int)(e - k), p->text + k, cur);
        cur = at + (e - k);
        k = e;
    }
}

static void check_article(const ms_article *a, const char *data, size_t len)
{
    /* "valid UTF-8 as far as the input was" */
    int utf8 = fuzz_utf8_ok(data, len);
    FUZZ_CHECK(a->format == FUZZ_FORMAT, "format %d, asked for %d", (int)a->format,
               (int)FUZZ_FORMAT);
    FUZZ_CHECK(a->title != NULL, "title is NULL after a successful parse");
    check_str(a->title, utf8, "title");
    check_str(a->id, utf8, "id");
    check_str(a->source, utf8, "source");
    check_str(a->url, utf8, "url");
    check_str(a->date, utf8, "date");
    check_str(a->date_text, utf8, "date_text");
    check_str(a->lang, utf8, "lang");
    /* the ISO form: YYYY-MM-DD, YYYY-MM, or YYYY for a year alone */
    FUZZ_CHECK(!a->date || (strlen(a->date) == 4 && strspn(a->date, "0123456789") == 4) ||
                   ((strlen(a->date) == 10 || strlen(a->date) == 7) && a->date[4] == '-' &&
                    strspn(a->date, "0123456789-") == strlen(a->date)),
               "date '%s' is not ISO 8601", a->date);
    check_str(a->author, utf8, "author");
    check_str(a->description, utf8, "description");
    check_str(a->also_called, utf8, "also_called");
    check_str(a->tags, utf8, "tags");
    FUZZ_CHECK(a->n_passages == 0 || a->passages, "passages missing");

    /* Line numbers are checked against a count of '\n' kept while walking
     * forward, since spans are in file order. */
    size_t prev_end = 0, counted_to = 0;
    unsigned line = 1;
    for (size_t i = 0; i < a->n_passages; i++) {
        const ms_passage *p = &a->passages[i];
        FUZZ_CHECK(p->start < p->end && p->end <= len, "passage %zu span [%zu,%zu) of %zu", i,
                   p->start, p->end, len);
        FUZZ_CHECK(p->start >= prev_end, "passage %zu starts at %zu, before the end %zu of %zu", i,
                   p->start, prev_end, i - 1);
        prev_end = p->end;
        for (; counted_to < p->start; counted_to++)
            line += data[counted_to] == '\n';
        FUZZ_CHECK(p->line >= 1, "passage %zu line %u", i, p->line);
        FUZZ_CHECK(p->line == line, "passage %zu at byte %zu says line %u, it is line %u", i,
                   p->start, p->line, line);
        FUZZ_CHECK(p->section != NULL, "passage %zu section is NULL", i);
        check_str(p->section, utf8, "section");
        FUZZ_CHECK(p->text != NULL, "passage %zu text is NULL", i);
        FUZZ_CHECK(p->text[p->text_len] == '\0', "passage %zu text not NUL-terminated at %zu", i,
                   p->text_len);
        FUZZ_CHECK(fuzz_utf8_ok(p->text, p->text_len) || !utf8,
                   "passage %zu text is not valid UTF-8 (input was)", i);
        if (FUZZ_FORMAT == MS_FMT_TEXT && utf8)
            check_words(p, i, data);
    }
}

static void parse(const char *data, size_t len, const ms_article_opts *opts)
{
    ms_article a;
    ms_error err = {0};
    int rc = ms_article_parse(data, len, FUZZ_FORMAT, opts, &a, &err);
    if (rc == 0) {
        check_article(&a, data, len);
        ms_article_free(&a);
    } else {
        FUZZ_CHECK(rc == -1, "parse returned %d", rc);
        fuzz_check_error(&err);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#ifdef FUZZ_FRONTMATTER
    static const char prefix[] = "---\n";
#else
    static const char prefix[] = "";
#endif
    /* An exact-size copy (no terminator): ASan then reports any read past
     * the end, which the parsers must never do since they take a length. */
    size_t len = sizeof prefix - 1 + size;
    char *buf = malloc(len ? len : 1);
    if (!buf)
        abort();
    memcpy(buf, prefix, sizeof prefix - 1);
    if (size)
        memcpy(buf + sizeof prefix - 1, data, size);

    parse(buf, len, NULL);

    if (size % 2 == 1) {
        /* Below MS_PASSAGE_MAX_MIN the bound is raised to it: 1 gives the smallest. */
        ms_article_opts small = {.passage_max_bytes = 1};
        parse(buf, len, &small);
    } else if (size % 4 == 0) {
        ms_boilerplate *bp = ms_boilerplate_new();
        if (!bp)
            abort();
        for (int i = 0; i < 3; i++)
            ms_boilerplate_learn(bp, "site", buf, len, FUZZ_FORMAT);
        ms_article_opts opts = {.boiler = bp, .site = "site"};
        parse(buf, len, &opts);
        ms_boilerplate_free(bp);
    }

    free(buf);
    return 0;
}
