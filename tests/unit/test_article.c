/*
 * test_article.c - the article parsers: plain text, Markdown, HTML, site
 * chrome, boilerplate learning, passages and their byte spans.
 *
 * The fixtures in tests/fixtures/articles reproduce the quirks of real
 * articles (copied web text with breadcrumbs, bylines, numbered sections,
 * captions, teaser lists and footers; broken HTML; odd front matter). Every
 * passage of every fixture is checked against the span invariant of
 * article.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "article/article.h"
#include "article/boilerplate.h"
#include "article/chrome.h"
#include "article/date.h"
#include "article/passages.h"
#include "article/textutil.h"
#include "base/util.h"

/* ---- helpers ---------------------------------------------------------------- */

/* The whole file at path, NUL-terminated; the test fails if it cannot be read. */
static char *slurp(const char *path, size_t *len)
{
    char reason[256];
    char *d = ms_read_file(path, (size_t)1 << 30, len, reason, sizeof reason);
    if (!d)
        fail_msg("%s: %s", path, reason);
    return d;
}

static char *load(const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/articles/%s", FIXTURES_DIR, name);
    return slurp(path, len);
}

static bool ascii_word(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Offset of w in d[from, to), as a whole word when ascii (except on the
 * open sides); SIZE_MAX if none. */
static size_t find(const char *d, size_t len, size_t from, size_t to, const char *w, size_t wn,
                   bool ascii, bool open_left, bool open_right)
{
    for (size_t i = from; i + wn <= to; i++) {
        if (d[i] != w[0] || memcmp(d + i, w, wn) != 0)
            continue;
        if (ascii && ((!open_left && i > 0 && ascii_word((unsigned char)d[i - 1])) ||
                      (!open_right && i + wn < len && ascii_word((unsigned char)d[i + wn]))))
            continue;
        return i;
    }
    return SIZE_MAX;
}

/* The invariants of article.h for every passage: spans ordered, inside the
 * file and not overlapping; line is the line of start; text is clean and
 * every word of it occurs, in order, within the span. Words are runs of
 * ASCII letters and digits, and runs of other bytes above 0x7f that hold a
 * letter: those are not looked for in HTML, where an entity may stand for
 * them. A passage cut from a long paragraph may start or end inside a word:
 * its first and last words may go on in the source. */
static void check_passages(const char *data, size_t len, const ms_article *a)
{
    size_t prev_end = 0, line_pos = 0;
    unsigned line = 1;
    for (size_t k = 0; k < a->n_passages; k++) {
        const ms_passage *p = &a->passages[k];
        assert_non_null(p->section);
        assert_non_null(p->text);
        assert_true(p->start < p->end);
        assert_true(p->end <= len);
        assert_true(p->start >= prev_end);
        prev_end = p->end;
        for (; line_pos < p->start; line_pos++)
            line += data[line_pos] == '\n';
        assert_int_equal(p->line, line);
        assert_int_equal(strlen(p->text), p->text_len);
        assert_null(memchr(p->text, '\r', p->text_len));
        assert_null(strchr(p->section, '\r'));
        assert_true(p->text_len > 0);
        size_t cur = p->start;
        const char *t = p->text;
        for (size_t i = 0; i < p->text_len;) {
            unsigned char c = (unsigned char)t[i];
            bool ascii = ascii_word(c);
            if (!ascii && (c < 0x80 || a->format == MS_FMT_HTML)) {
                i++;
                continue;
            }
            size_t e = i;
            while (e < p->text_len &&
                   (ascii ? ascii_word((unsigned char)t[e]) : (unsigned char)t[e] >= 0x80))
                e++;
            if (!ascii && !ms_has_word_char(t + i, e - i)) {
                i = e; /* bullets, dashes, quotes: not words */
                continue;
            }
            size_t at = find(data, len, cur, p->end, t + i, e - i, ascii, i == 0, e == p->text_len);
            if (at == SIZE_MAX)
                fail_msg("passage %zu: word '%.*s' not in [%zu,%zu) after %zu", k, (int)(e - i),
                         t + i, p->start, p->end, cur);
            cur = at + (e - i);
            i = e;
        }
    }
}

static void parse_ok(const char *data, size_t len, ms_format fmt, const ms_article_opts *o,
                     ms_article *a)
{
    ms_error err = {0};
    int rc = ms_article_parse(data, len, fmt, o, a, &err);
    if (rc)
        fail_msg("parse failed: %s", err.msg);
    assert_non_null(a->title);
    check_passages(data, len, a);
}

static void parse_fixture(const char *name, ms_article *a, char **data, size_t *len)
{
    *data = load(name, len);
    parse_ok(*data, *len, ms_format_from_path(name), NULL, a);
}

/* Whether any passage's text (or section, if sections) holds s. */
static bool any_text_has(const ms_article *a, const char *s, bool sections)
{
    for (size_t k = 0; k < a->n_passages; k++)
        if (strstr(a->passages[k].text, s) || (sections && strstr(a->passages[k].section, s)))
            return true;
    return false;
}

static void assert_absent(const ms_article *a, const char *const *chrome, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (any_text_has(a, chrome[i], true))
            fail_msg("chrome '%s' is in a passage", chrome[i]);
}

static void assert_sections(const ms_article *a, const char *const *want, size_t n)
{
    assert_int_equal(a->n_passages, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(a->passages[i].section, want[i]);
}

static void expect_fail(const char *data, size_t len, ms_format fmt, const char *msg)
{
    ms_article a;
    ms_error err = {0};
    assert_int_equal(ms_article_parse(data, len, fmt, NULL, &a, &err), -1);
    assert_int_equal(err.code, MS_EFORMAT);
    assert_string_equal(err.msg, msg);
    assert_int_equal(a.n_passages, 0);
    assert_null(a.title);
}

#define N(x) (sizeof(x) / sizeof *(x))

/* ---- formats ------------------------------------------------------------------ */

static void test_format_names(void **state)
{
    (void)state;
    assert_int_equal(ms_format_from_path("a/b/x.txt"), MS_FMT_TEXT);
    assert_int_equal(ms_format_from_path("x.TEXT"), MS_FMT_TEXT);
    assert_int_equal(ms_format_from_path("x.md"), MS_FMT_MARKDOWN);
    assert_int_equal(ms_format_from_path("x.markdown"), MS_FMT_MARKDOWN);
    assert_int_equal(ms_format_from_path("x.html"), MS_FMT_HTML);
    assert_int_equal(ms_format_from_path("x.HTM"), MS_FMT_HTML);
    assert_int_equal(ms_format_from_path("x.xhtml"), MS_FMT_HTML);
    assert_int_equal(ms_format_from_path("x.pdf"), MS_FMT_UNKNOWN);
    assert_int_equal(ms_format_from_path("dir.md/README"), MS_FMT_UNKNOWN);
    assert_int_equal(ms_format_from_path(".md"), MS_FMT_UNKNOWN);
    assert_int_equal(ms_format_from_name("text"), MS_FMT_TEXT);
    assert_int_equal(ms_format_from_name("md"), MS_FMT_MARKDOWN);
    assert_int_equal(ms_format_from_name("Markdown"), MS_FMT_MARKDOWN);
    assert_int_equal(ms_format_from_name("html"), MS_FMT_HTML);
    assert_int_equal(ms_format_from_name("pdf"), MS_FMT_UNKNOWN);
    assert_string_equal(ms_format_name(MS_FMT_TEXT), "text");
    assert_string_equal(ms_format_name(MS_FMT_MARKDOWN), "markdown");
    assert_string_equal(ms_format_name(MS_FMT_HTML), "html");
}

static void test_unknown_format_is_sniffed(void **state)
{
    (void)state;
    static const struct {
        const char *data;
        ms_format fmt;
    } cases[] = {
        {"  <html><body><p>Hives are itchy welts.</p></body></html>", MS_FMT_HTML},
        {"---\ntitle: Hives\n---\nItchy welts.\n", MS_FMT_MARKDOWN},
        {"Hives\n\n## Causes\n\nAllergies.\n", MS_FMT_MARKDOWN},
        {"Hives\n\nHives are itchy welts on the skin.\n", MS_FMT_TEXT},
    };
    for (size_t i = 0; i < N(cases); i++) {
        ms_article a;
        parse_ok(cases[i].data, strlen(cases[i].data), MS_FMT_UNKNOWN, NULL, &a);
        assert_int_equal(a.format, cases[i].fmt);
        ms_article_free(&a);
    }
}

/* ---- bad input ------------------------------------------------------------------ */

static void test_rejects(void **state)
{
    (void)state;
    expect_fail("", 0, MS_FMT_TEXT, "empty file");
    expect_fail(" \n\t\r\n  ", 7, MS_FMT_MARKDOWN, "empty file");
    expect_fail("\xef\xbb\xbf\r\n", 5, MS_FMT_HTML, "empty file");
    expect_fail("Title\n\nabc\0def\n", 15, MS_FMT_TEXT, "binary file");
    expect_fail("\xff\xfeH\0i\0", 6, MS_FMT_TEXT,
                "UTF-16 text is not supported (convert it to UTF-8)");
    expect_fail("\xfe\xff\0H\0i", 6, MS_FMT_MARKDOWN,
                "UTF-16 text is not supported (convert it to UTF-8)");
    expect_fail("\xff\xfe\0\0H\0\0\0", 8, MS_FMT_TEXT,
                "UTF-32 text is not supported (convert it to UTF-8)");
    /* UTF-16 without a BOM: a zero byte after every ASCII letter */
    const char le[] = "E\0c\0z\0e\0m\0a\0\n\0I\0t\0c\0h\0y\0 \0s\0k\0i\0n\0.\0";
    expect_fail(le, sizeof le - 1, MS_FMT_TEXT,
                "UTF-16 text is not supported (convert it to UTF-8)");
    const char be[] = "\0E\0c\0z\0e\0m\0a\0\n\0I\0t\0c\0h\0y\0 \0s\0k\0i\0n";
    expect_fail(be, sizeof be - 1, MS_FMT_HTML,
                "UTF-16 text is not supported (convert it to UTF-8)");
}

static void test_nul_after_8k_is_not_binary(void **state)
{
    (void)state;
    size_t len = 9000;
    char *data = malloc(len);
    assert_non_null(data);
    memcpy(data, "Dry skin\n\n", 10);
    for (size_t i = 10; i < len; i++)
        data[i] = "Dry skin needs a gentle cleanser. "[i % 34];
    data[8500] = '\0';
    ms_article a;
    parse_ok(data, len, MS_FMT_TEXT, NULL, &a);
    assert_string_equal(a.title, "Dry skin");
    assert_true(a.n_passages > 0);
    ms_article_free(&a);
    free(data);
}

static void test_bom_and_crlf(void **state)
{
    (void)state;
    const char *d = "\xef\xbb\xbfNail fungus\r\n\r\nIntroduction\r\nNail fungus makes nails "
                    "thick and yellow.\r\nIt spreads slowly\r\nover months.\r\n";
    ms_article a;
    parse_ok(d, strlen(d), MS_FMT_TEXT, NULL, &a);
    assert_string_equal(a.title, "Nail fungus");
    assert_int_equal(a.n_passages, 1);
    assert_string_equal(a.passages[0].section, "Introduction");
    assert_string_equal(
        a.passages[0].text,
        "Nail fungus makes nails thick and yellow.\nIt spreads slowly over months.");
    assert_int_equal(a.passages[0].line, 3);
    assert_int_equal(a.passages[0].start, (size_t)(strstr(d, "Introduction") - d));
    assert_int_equal(a.passages[0].end, (size_t)(strstr(d, "months.") - d) + 7);
    ms_article_free(&a);

    const char *md = "\xef\xbb\xbf---\r\ntitle: Warts\r\n---\r\n\r\n## Causes\r\nA virus.\r\n";
    parse_ok(md, strlen(md), MS_FMT_MARKDOWN, NULL, &a);
    assert_string_equal(a.title, "Warts");
    assert_int_equal(a.n_passages, 1);
    assert_string_equal(a.passages[0].section, "Causes");
    assert_string_equal(a.passages[0].text, "A virus.");
    ms_article_free(&a);
}

static void test_invalid_utf8_passes_through(void **state)
{
    (void)state;
    const char *d = "Birthmarks\n\nCaf\xe9 au lait spots are flat, light brown patches \xff.\n";
    ms_article a;
    parse_ok(d, strlen(d), MS_FMT_TEXT, NULL, &a);
    assert_int_equal(a.n_passages, 1);
    assert_non_null(strstr(a.passages[0].text, "Caf\xe9 au lait"));
    assert_non_null(strstr(a.passages[0].text, "\xff"));
    ms_article_free(&a);

    const char *h = "<p>Caf\xe9 au lait spots</p>";
    parse_ok(h, strlen(h), MS_FMT_HTML, NULL, &a);
    assert_int_equal(a.n_passages, 1);
    assert_string_equal(a.passages[0].text, "Caf\xe9 au lait spots");
    ms_article_free(&a);
}

/* ---- plain text ------------------------------------------------------------------- */

static void test_text_title_only(void **state)
{
    (void)state;
    ms_article a;
    char *d;
    size_t len;
    parse_fixture("title_only.txt", &a, &d, &len);
    assert_string_equal(a.title, "Shingles vaccine: who should get it?");
    assert_int_equal(a.n_passages, 1);
    assert_string_equal(a.passages[0].section, "");
    assert_string_equal(a.passages[0].text, a.title);
    assert_int_equal(a.passages[0].line, 2);
    assert_int_equal(a.passages[0].end - a.passages[0].start, strlen(a.title));
    ms_article_free(&a);
    free(d);
}

/* Seed 0's shape: no blank lines, a question as title, "1. Friction" style
 * sections, a closing paragraph for the whole article, no final newline. */
static void test_text_numbered_sections(void **state)
{
    (void)state;
    ms_article a;
    char *d;
    size_t len;
    parse_fixture("numbered_sections.txt", &a, &d, &len);
    assert_string_equal(a.title, "Why do the fingertips crack and peel in winter?");
    assert_null(a.author);
    assert_null(a.date);
    static const char *const sections[] = {"",
                                           "Dry air",
                                           "Frequent Hand Washing",
                                           "Contact irritants",
                                           "Hand Eczema (Dermatitis)",
                                           "Fungal infection",
                                           MS_SECTION_CLOSING};
    assert_sections(&a, sections, N(sections));
    assert_true(strncmp(a.passages[0].text, "Cracked and peeling", 19) == 0);
    /* the heading's line is in the span, its text is not in the passage */
    assert_true(strncmp(d + a.passages[1].start, "1. Dry air", 10) == 0);
    assert_false(any_text_has(&a, "Dry air", false));
    assert_true(strncmp(a.passages[6].text, "In everyday life", 16) == 0);
    assert_int_equal(a.passages[6].end, len);
    assert_int_equal(a.boiler_lines, 0);
    ms_article_free(&a);
    free(d);
}

/* Seed 1's shape: byline with date, source and author; "Introduction";
 * "1. Name: text" sections; a stray CJK phrase; "Related Articles". */
static void test_text_byline_colon_sections(void **state)
{
    (void)state;
    ms_article a;
    char *d;
    size_t len;
    parse_fixture("byline_colon_sections.txt", &a, &d, &len);
    assert_string_equal(a.title, "What makes the skin on the elbows rough and dark?");
    assert_string_equal(a.date, "2024-03-03");
    assert_string_equal(a.date_text, "Mar 3, 2024");
    assert_string_equal(a.source, "Example Health");
    assert_string_equal(a.author, "Dr. Li Ming");
    static const char *const sections[] = {"Introduction", "Friction and pressure",
                                           "Keratosis pilaris", "Psoriasis", MS_SECTION_CLOSING};
    assert_sections(&a, sections, N(sections));
    assert_non_null(strstr(a.passages[0].text, "at a \xe6\xad\xa3\xe8\xa7\x84 clinic"));
    assert_true(strncmp(a.passages[1].text, "Leaning on desks", 16) == 0);
    assert_true(strncmp(a.passages[4].text, "In daily life", 13) == 0);
    static const char *const chrome[] = {"Related Articles", "View All", "Source:", "Dr. Li",
                                         "Mar 3"};
    assert_absent(&a, chrome, N(chrome));
    assert_int_equal(a.boiler_lines, 4); /* two byline lines, two chrome lines */
    ms_article_free(&a);
    free(d);
}

/* Seed 2's shape: breadcrumb, captions, bullets, a numbered list of full
 * sentences, indented headings, adverts, "Our other articles" teasers and a
 * footer with an address, a phone number and opening hours. */
static void test_text_clinic_page(void **state)
{
    (void)state;
    ms_article a;
    char *d;
    size_t len;
    parse_fixture("clinic_page.txt", &a, &d, &len);
    assert_string_equal(a.title, "Lichen planus");
    static const char *const sections[] = {"", "Risk factors", "Clinical signs",
                                           "Self-care and prevention"};
    assert_sections(&a, sections, N(sections));
    assert_true(strncmp(a.passages[0].text, "Lichen planus is an inflammatory", 32) == 0);
    /* bullets keep their section, without the glyph */
    assert_non_null(strstr(a.passages[0].text, "\nIt is not contagious"));
    assert_null(strstr(a.passages[0].text, "\xe2\x80\xa2"));
    /* the numbered sentences are a list in "Clinical signs", not sections */
    assert_non_null(strstr(a.passages[2].text, "\nStrong steroid creams applied to the bumps.\n"));
    assert_non_null(strstr(a.passages[2].text, "\nLight therapy for widespread disease."));
    assert_non_null(strstr(a.passages[3].text, "\nsee a dentist regularly"));
    static const char *const chrome[] = {
        "Home >",
        "Skin conditions",
        "Lichen planus Wrists",
        "Lichen planus ankles",
        "photos",
        "Rosacea",
        "ask a dermatologist",
        "DermaClinic",
        "Consultation",
        "Our other",
        "Seborrheic",
        "Vitiligo",
        "read more",
        "Laisves",
        "+370",
        "8:00",
        "UAB",
    };
    assert_absent(&a, chrome, N(chrome));
    assert_true(a.boiler_lines >= 20);
    assert_true(a.boiler_bytes > 500);
    ms_article_free(&a);
    free(d);
}

static void test_text_wrapped_paragraphs(void **state)
{
    (void)state;
    const char *d = "Ringworm\n\nRingworm is a fungal infection that causes\na circular rash "
                    "with a raised\nedge.\nIt is treated with antifungal cream.\n\nSymptoms\n"
                    "\n- a red, scaly ring that\n  slowly grows\n- itching\n";
    ms_article a;
    parse_ok(d, strlen(d), MS_FMT_TEXT, NULL, &a);
    static const char *const sections[] = {"", "Symptoms"};
    assert_sections(&a, sections, N(sections));
    assert_string_equal(a.passages[0].text, "Ringworm is a fungal infection that causes a "
                                            "circular rash with a raised edge.\nIt is treated "
                                            "with antifungal cream.");
    assert_string_equal(a.passages[1].text, "a red, scaly ring that slowly grows\nitching");
    ms_article_free(&a);
}

static void test_text_no_title(void **state)
{
    (void)state;
    /* a first line that reads as prose is not a title */
    const char *d = "Moles are common skin growths made of pigment cells that most adults "
                    "have, and nearly all of them stay harmless for life, although a few "
                    "change over the years.\nA changing mole should be checked.\n";
    ms_article a;
    parse_ok(d, strlen(d), MS_FMT_TEXT, NULL, &a);
    assert_string_equal(a.title, "");
    assert_int_equal(a.n_passages, 1);
    assert_true(strncmp(a.passages[0].text, "Moles are common", 16) == 0);
    ms_article_free(&a);
}

/* ---- Markdown ---------------------------------------------------------------------- */

static void test_markdown_odd_front_matter(void **state)
{
    (void)state;
    ms_article a;
    char *d;
    size_t len;
    parse_fixture("odd_front_matter.md", &a, &d, &len);
    assert_string_equal(a.title, "Athlete's foot");
    assert_string_equal(a.source, "Foot Health Notes");
    assert_string_equal(a.url, "https://example.org/athletes-foot");
    assert_string_equal(a.date, "2023-09-01");
    assert_string_equal(a.author, "Sam Rivera");
    assert_string_equal(a.id, "FHN-0042");
    assert_string_equal(a.also_called, "tinea pedis; foot ringworm");
    assert_string_equal(a.tags, "fungal infection, feet, skin");
    assert_null(a.description);
    /* the setext title repeats the front matter's and starts no section */
    static const char *const sections[] = {"", "Symptoms", "How it is treated", "Prevention"};
    assert_sections(&a, sections, N(sections));
    const char *intro = a.passages[0].text;
    assert_string_equal(intro, "Athlete's foot is a fungal infection of the skin between the "
                               "toes. It is very common in people whose feet stay damp for "
                               "long periods, and it spreads in changing rooms.");
    assert_string_equal(a.passages[1].text, "itching, stinging and burning between the toes\n"
                                            "cracked, peeling skin on the soles\n"
                                            "small blisters that ooze (see pictures)");
    const char *treat = a.passages[2].text;
    assert_non_null(strstr(treat, "Antifungal creams such as clotrimazole or terbinafine"));
    assert_non_null(strstr(treat, "Apply the cream twice a day\nto clean, dry skin."));
    assert_non_null(strstr(treat, "\nWash towels at 60 degrees"));
    assert_null(strstr(treat, "A foot with a rash"));
    assert_string_equal(a.passages[3].text, "Wear sandals in shared showers and dry_between the "
                                            "toes after bathing. The allele HLA-B*58 is not "
                                            "unrelated.");
    static const char *const markup[] = {"https://", "**", "`",       "[",    "](",
                                         "~~",       "#",  "ignored", "pics]"};
    assert_absent(&a, markup, N(markup));
    /* the first passage of a section starts at its heading */
    assert_true(strncmp(d + a.passages[1].start, "Symptoms\n---", 12) == 0);
    assert_true(strncmp(d + a.passages[3].start, "### Prevention", 14) == 0);
    ms_article_free(&a);
    free(d);
}

static void test_markdown_atx_title(void **state)
{
    (void)state;
    ms_article a;
    char *d;
    size_t len;
    parse_fixture("atx_title.md", &a, &d, &len);
    assert_string_equal(a.title, "Cold sores");
    static const char *const sections[] = {"", "Treatment"};
    assert_sections(&a, sections, N(sections));
    ms_article_free(&a);
    free(d);
}

static void test_markdown_front_matter_edge_cases(void **state)
{
    (void)state;
    static const char *const docs[] = {
        /* unclosed front matter: a thematic break and text */
        "---\ntitle: Not front matter\nBody text here.\n",
        /* list values, a lone colon, unbalanced quotes, CRLF, tabs */
        ("---\r\ntags:\r\n  - one\r\n  - \"two\"\r\n:\r\ntitle: \"half quoted\r\nid:\t\r\n---\r\n"
         "Text.\r\n"),
        /* nothing but front matter */
        "---\ntitle: Only a title\n---\n",
        /* keys without values and values without keys */
        "---\ntitle\n: x\n----\n---\n# Heading\n",
    };
    for (size_t i = 0; i < N(docs); i++) {
        ms_article a;
        parse_ok(docs[i], strlen(docs[i]), MS_FMT_MARKDOWN, NULL, &a);
        if (i == 1) {
            assert_string_equal(a.tags, "one, two");
            assert_string_equal(a.title, "\"half quoted");
            assert_null(a.id);
        }
        if (i == 2) {
            assert_string_equal(a.title, "Only a title");
            assert_int_equal(a.n_passages, 1);
            assert_string_equal(a.passages[0].text, "Only a title");
        }
        if (i == 3)
            assert_string_equal(a.title, "Heading");
        ms_article_free(&a);
    }
}

/* ---- HTML ------------------------------------------------------------------------------ */

static void test_html_broken_page(void **state)
{
    (void)state;
    ms_article a;
    char *d;
    size_t len;
    parse_fixture("broken_page.html", &a, &d, &len);
    assert_string_equal(a.title, "Heat rash (miliaria)");
    assert_string_equal(a.author, "Dr. Ana Costa");
    assert_string_equal(a.date, "2024-06-14");
    assert_string_equal(a.source, "Example Clinic");
    assert_string_equal(a.description, "What heat rash is, why it happens & how to treat it.");
    static const char *const sections[] = {"", "Symptoms", "Causes & risk factors",
                                           "When to see a doctor"};
    assert_sections(&a, sections, N(sections));
    assert_true(strncmp(a.passages[0].text, "Heat rash is a prickly", 22) == 0);
    assert_non_null(strstr(a.passages[0].text, "blocked & sweat is trapped"));
    assert_non_null(strstr(a.passages[0].text, "\nMost heat rash clears up"));
    assert_string_equal(a.passages[1].text, "small, raised red spots\nan itchy, prickly "
                                            "feeling\nmild swelling of the affected skin");
    assert_non_null(strstr(a.passages[2].text, "The caf\xc3\xa9 owner's advice \xe2\x80\x94"));
    assert_non_null(strstr(a.passages[3].text, "fill with pus.\nA fever or chills"));
    static const char *const chrome[] = {
        "STYLE-TEXT", "SCRIPT-TEXT", "HEADER-TEXT", "NAV-TEXT",    "Home",
        "SHARE-TEXT", "NOSCRIPT",    "IFRAME",      "FORM-TEXT",   "ASIDE-TEXT",
        "Popular",    "Related",     "View All",    "FOOTER-TEXT", "555",
        "reserved",   "miliaria",    "&amp;",       "&#39;",
    };
    assert_absent(&a, chrome, N(chrome));
    assert_true(a.boiler_lines >= 10);
    /* spans start at the heading and end with the final punctuation */
    assert_true(strncmp(d + a.passages[1].start, "Symptoms", 8) == 0);
    assert_true(strncmp(d + a.passages[3].end - 10, "attention.", 10) == 0);
    ms_article_free(&a);
    free(d);
}

/* The written forms of a date, and what is not one. */
static void test_dates(void **state)
{
    (void)state;
    static const struct {
        const char *s, *iso, *text;
    } ok[] = {
        {"Nov 28, 2025 Source: X", "2025-11-28", "Nov 28, 2025"},
        {"Updated March 3rd, 2024", "2024-03-03", "March 3rd, 2024"},
        {"8 Apr 2025 \xc2\xb7 Medically reviewed", "2025-04-08", "8 Apr 2025"},
        {"28 November 2025", "2025-11-28", "28 November 2025"},
        {"Posted 2025-11-28T09:30:00+01:00", "2025-11-28", "2025-11-28"},
        {"2025/01/05", "2025-01-05", "2025/01/05"},
        {"am 28.11.2025", "2025-11-28", "28.11.2025"},
        {"Sept. 9 2024", "2024-09-09", "Sept. 9 2024"},
        {"Last reviewed March 2024", "2024-03", "March 2024"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        char iso[11];
        size_t at, len;
        assert_true(ms_date_find(ok[i].s, strlen(ok[i].s), iso, &at, &len));
        assert_string_equal(iso, ok[i].iso);
        assert_int_equal(len, strlen(ok[i].text));
        assert_memory_equal(ok[i].s + at, ok[i].text, len);
    }
    static const char *const bad[] = {"11/28/25",   "03/04/2025", "2025-13-01", "Feb 30, 2025",
                                      "31.02.2025", "may 5 be",   "1850-01-01", "march on"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char iso[11];
        size_t at, len;
        if (ms_date_find(bad[i], strlen(bad[i]), iso, &at, &len))
            fail_msg("'%s' read as %s", bad[i], iso);
    }
}

static void test_html_titles(void **state)
{
    (void)state;
    ms_article a;
    char *d;
    size_t len;
    parse_fixture("og_title_only.html", &a, &d, &len);
    assert_string_equal(a.title, "Sunburn: first aid at home");
    static const char *const sections[] = {"", "Blisters"};
    assert_sections(&a, sections, N(sections));
    ms_article_free(&a);
    free(d);

    parse_fixture("title_tag_only.html", &a, &d, &len);
    assert_string_equal(a.title, "Chilblains");
    assert_int_equal(a.n_passages, 1);
    ms_article_free(&a);
    free(d);

    /* a logo's <h1> in the page header is not the title */
    const char *h = "<header><h1>SkinSite</h1></header><main><h1>Scabies</h1>"
                    "<p>Scabies is an itchy rash caused by mites.</p></main>";
    parse_ok(h, strlen(h), MS_FMT_HTML, NULL, &a);
    assert_string_equal(a.title, "Scabies");
    assert_int_equal(a.n_passages, 1);
    assert_string_equal(a.passages[0].text, "Scabies is an itchy rash caused by mites.");
    ms_article_free(&a);

    /* layout classes on the frame are not furniture; a sidebar is */
    h = "<body class=\"page has-sidebar\"><div class=\"no-sidebar wrap\"><h1>Lice</h1>"
        "<p>Head lice are tiny insects.</p></div><div class=\"site-sidebar\">Ads</div>"
        "<div id=\"share_buttons\">Tweet</div></body>";
    parse_ok(h, strlen(h), MS_FMT_HTML, NULL, &a);
    assert_string_equal(a.title, "Lice");
    assert_int_equal(a.n_passages, 1);
    assert_string_equal(a.passages[0].text, "Head lice are tiny insects.");
    assert_int_equal(a.boiler_lines, 2);
    ms_article_free(&a);

    /* a page with a title and no text gives the title as its passage */
    h = "<html><head><title>Impetigo</title></head><body><script>x()</script></body></html>";
    parse_ok(h, strlen(h), MS_FMT_HTML, NULL, &a);
    assert_string_equal(a.title, "Impetigo");
    assert_int_equal(a.n_passages, 1);
    assert_string_equal(a.passages[0].text, "Impetigo");
    ms_article_free(&a);
}

static void test_html_minified_and_deep(void **state)
{
    (void)state;
    /* one line: spans come from the word search alone */
    const char *h = "<html><body><nav>Acne Acne</nav><h1>Acne</h1><p>Acne happens when "
                    "pores clog.</p><h2>Acne treatment</h2><p>Acne creams &amp; gels help "
                    "acne.</p><p>Acne washes too.</p></body></html>";
    ms_article a;
    parse_ok(h, strlen(h), MS_FMT_HTML, NULL, &a);
    assert_int_equal(a.n_passages, 2);
    assert_string_equal(a.passages[1].section, "Acne treatment");
    assert_true(strncmp(h + a.passages[0].start, "Acne happens", 12) == 0);
    assert_true(strncmp(h + a.passages[1].start, "Acne treatment", 14) == 0);
    ms_article_free(&a);

    /* thousands of unclosed elements: no recursion to overflow */
    size_t depth = 20000;
    size_t len = depth * 5 + 64;
    char *deep = malloc(len);
    assert_non_null(deep);
    size_t n = 0;
    for (size_t i = 0; i < depth; i++)
        n += (size_t)sprintf(deep + n, "<div>");
    n += (size_t)sprintf(deep + n, "Deep text about eczema.");
    parse_ok(deep, n, MS_FMT_HTML, NULL, &a);
    assert_true(any_text_has(&a, "Deep text about eczema.", false));
    ms_article_free(&a);
    free(deep);
}

/* ---- passages ---------------------------------------------------------------------------- */

static void test_long_sections_are_split(void **state)
{
    (void)state;
    ms_sbuf b = {0};
    ms_sb_put(&b, "# Psoriasis\n\n## Treatment\n\n", 27);
    for (int i = 0; i < 12; i++) {
        char para[400];
        int k = snprintf(para, sizeof para,
                         "Paragraph %d explains one treatment option for psoriasis in some "
                         "detail. It covers creams, light therapy and tablets. It also says "
                         "when each is used and what side effects to expect from it.\n\n",
                         i);
        ms_sb_put(&b, para, (size_t)k);
    }
    /* one paragraph longer than the bound: cut at sentence ends */
    ms_sb_put(&b, "## Outlook\n\n", 12);
    for (int i = 0; i < 40; i++)
        ms_sb_put(&b, "Most people with psoriasis lead full lives with treatment. ", 59);
    ms_article_opts o = {.passage_max_bytes = 1000};
    ms_article a;
    parse_ok(b.p, b.n, MS_FMT_MARKDOWN, &o, &a);
    size_t treat = 0, outlook = 0;
    for (size_t k = 0; k < a.n_passages; k++) {
        const ms_passage *p = &a.passages[k];
        assert_true(p->text_len <= 1000);
        assert_true(p->text_len >= 250); /* balanced: no stubs */
        if (strcmp(p->section, "Treatment") == 0) {
            treat++;
            /* whole paragraphs: every part starts with one */
            assert_true(strncmp(p->text, "Paragraph ", 10) == 0);
        } else {
            assert_string_equal(p->section, "Outlook");
            outlook++;
            assert_true(strncmp(p->text, "Most people", 11) == 0);
            assert_true(p->text[p->text_len - 1] == '.');
        }
    }
    assert_int_equal(treat, 3);
    assert_int_equal(outlook, 3);
    assert_true(strncmp(b.p + a.passages[0].start, "## Treatment", 12) == 0);
    assert_true(strncmp(b.p + a.passages[1].start, "Paragraph ", 10) == 0);
    ms_article_free(&a);

    /* a larger bound keeps the sections whole */
    o.passage_max_bytes = 3000;
    parse_ok(b.p, b.n, MS_FMT_MARKDOWN, &o, &a);
    assert_int_equal(a.n_passages, 2);
    ms_article_free(&a);
    free(b.p);
}

/* Passages shorter than a word, and markup inside words (fuzzer finds). */
static void test_cut_inside_words(void **state)
{
    (void)state;
    ms_sbuf b = {0};
    const char *head = "Long words\n\nThe word ";
    ms_sb_put(&b, head, strlen(head));
    for (int i = 0; i < 300; i++) {
        char c = (char)('a' + i % 26);
        ms_sb_put(&b, &c, 1);
    }
    const char *tail = " ends here. Pneumonoultramicroscopicsilicovolcanoconiosis too.\n";
    ms_sb_put(&b, tail, strlen(tail));
    ms_article_opts o = {.passage_max_bytes = 1}; /* raised to the smallest bound */
    ms_article a;
    parse_ok(b.p, b.n, MS_FMT_TEXT, &o, &a);
    assert_true(a.n_passages >= 6);
    for (size_t k = 0; k < a.n_passages; k++)
        assert_true(a.passages[k].text_len <= MS_PASSAGE_MAX_MIN);
    ms_article_free(&a);
    free(b.p);

    /* code and strike-through marks inside a word are text: removing them
     * would make a word ("and") that the source does not have */
    const char *md = "Gout an``d pain, with ~~un~~swollen joints, is treated. It can "
                     "return.\n\n## More\n\nDiet helps a~~little~~ too.\n";
    parse_ok(md, strlen(md), MS_FMT_MARKDOWN, &o, &a);
    assert_true(any_text_has(&a, "an``d pain", false));
    assert_true(any_text_has(&a, "with un~~swollen joints", false));
    assert_true(any_text_has(&a, "a~~little too", false));
    ms_article_free(&a);
}

/* Behaviour only: how fast 10 MB parse is measured by bench/parse_large
 * (median of several runs, next to a plain pass over the same bytes). */
static void test_ten_megabytes(void **state)
{
    (void)state;
    ms_sbuf b = {0};
    ms_sb_put(&b, "A very long article\n\n", 21);
    for (int i = 0; b.n < 10u << 20; i++) {
        char sec[900];
        int k = snprintf(sec, sizeof sec,
                         "Section %d\n"
                         "This paragraph talks about skin care number %d and goes on for a "
                         "while, with sentences about creams, soaps and sunscreen. It ends "
                         "here.\n"
                         "\xe2\x80\xa2 a bullet about moisturisers\n"
                         "\xe2\x80\xa2 a bullet about gentle cleansers\n"
                         "A second paragraph adds detail on when to see a doctor, how long "
                         "treatment takes and what to expect from it over the weeks.\n\n",
                         i, i);
        ms_sb_put(&b, sec, (size_t)k);
    }
    ms_article a;
    ms_error err;
    assert_int_equal(ms_article_parse(b.p, b.n, MS_FMT_TEXT, NULL, &a, &err), 0);
    assert_true(a.n_passages > 20000);
    assert_string_equal(a.passages[7].section, "Section 7");
    check_passages(b.p, b.n, &a);
    ms_article_free(&a);

    /* one line of 10 MB without a heading: cut at sentence ends */
    for (size_t i = 0; i < b.n; i++)
        if (b.p[i] == '\n')
            b.p[i] = ' ';
    assert_int_equal(ms_article_parse(b.p, b.n, MS_FMT_MARKDOWN, NULL, &a, &err), 0);
    for (size_t k = 0; k < a.n_passages; k++)
        assert_true(a.passages[k].text_len <= MS_PASSAGE_MAX_DEFAULT);
    check_passages(b.p, b.n, &a);
    ms_article_free(&a);
    free(b.p);
}

static void test_every_fixture_keeps_the_invariants(void **state)
{
    (void)state;
    static const char *const names[] = {
        "atx_title.md",       "broken_page.html",      "byline_colon_sections.txt",
        "clinic_page.txt",    "numbered_sections.txt", "odd_front_matter.md",
        "og_title_only.html", "title_only.txt",        "title_tag_only.html",
    };
    for (size_t i = 0; i < N(names); i++) {
        char *d;
        size_t len;
        ms_article a;
        parse_fixture(names[i], &a, &d, &len); /* checks the passages */
        assert_true(a.n_passages > 0);
        assert_int_equal(a.format, ms_format_from_path(names[i]));
        /* and again with small passages: every part keeps them too */
        ms_article small;
        ms_article_opts o = {.passage_max_bytes = 100};
        parse_ok(d, len, a.format, &o, &small);
        assert_true(small.n_passages >= a.n_passages);
        for (size_t k = 0; k < small.n_passages; k++)
            assert_true(small.passages[k].text_len <= 100);
        ms_article_free(&small);
        ms_article_free(&a);
        free(d);
    }
}

/* Every passage of every article of the bundled corpus keeps the invariants
 * (byte spans that hold their words, lines, order), as medindex cuts them:
 * with the boilerplate learned over the whole corpus. */
static char **corpus_files;
static size_t n_corpus_files;

static int collect_corpus_file(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    if (type == FTW_F && ms_format_from_path(path) != MS_FMT_UNKNOWN &&
        !strstr(path, "/README.md")) {
        corpus_files = realloc(corpus_files, (n_corpus_files + 1) * sizeof *corpus_files);
        corpus_files[n_corpus_files++] = strdup(path);
    }
    return 0;
}

static void test_whole_corpus_keeps_the_invariants(void **state)
{
    (void)state;
    const char *root = FIXTURES_DIR "/../../corpus";
    assert_int_equal(nftw(root, collect_corpus_file, 16, FTW_PHYS), 0);
    assert_true(n_corpus_files >= 80);
    ms_boilerplate *bp = ms_boilerplate_new();
    for (size_t i = 0; i < n_corpus_files; i++) {
        size_t len;
        char *d = slurp(corpus_files[i], &len);
        ms_boilerplate_learn(bp, "corpus", d, len, ms_format_from_path(corpus_files[i]));
        free(d);
    }
    size_t passages = 0;
    for (size_t i = 0; i < n_corpus_files; i++) {
        size_t len;
        char *d = slurp(corpus_files[i], &len);
        ms_article a;
        ms_article_opts o = {.boiler = bp, .site = "corpus"};
        ms_error err;
        if (ms_article_parse(d, len, ms_format_from_path(corpus_files[i]), &o, &a, &err) != 0)
            fail_msg("%s: %s", corpus_files[i], err.msg);
        assert_true(a.n_passages > 0);
        check_passages(d, len, &a);
        passages += a.n_passages;
        ms_article_free(&a);
        free(d);
        free(corpus_files[i]);
    }
    assert_true(passages > n_corpus_files);
    free(corpus_files);
    ms_boilerplate_free(bp);
}

/* ---- chrome rules ------------------------------------------------------------------------ */

static void test_chrome_rules(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        ms_chrome want;
    } cases[] = {
        {"Home > Skin diseases > Eczema", MS_CHROME_LINE},
        {"Pagrindinis \xc2\xbb Odos ligos", MS_CHROME_LINE},
        {"Facebook Twitter Pinterest Email", MS_CHROME_LINE},
        {"\xc2\xa9 2024 Example Ltd. All rights reserved.", MS_CHROME_LINE},
        {"We use cookies to improve this website.", MS_CHROME_LINE},
        {"Read more \xc2\xbb", MS_CHROME_LINE},
        {"Last updated: May 2, 2024", MS_CHROME_LINE},
        {"View All", MS_CHROME_LINE},
        {"+370 670 70822", MS_CHROME_CONTACT},
        {"Tel.: (555) 123-4567", MS_CHROME_CONTACT},
        {"Gedimino pr. 12, Vilnius", MS_CHROME_CONTACT},
        {"221B Baker St, London", MS_CHROME_CONTACT},
        {"Mon-Fri 9:00 - 18:00", MS_CHROME_CONTACT},
        {"Opening hours", MS_CHROME_CONTACT},
        {"info@example.com", MS_CHROME_CONTACT},
        {"Related Articles", MS_CHROME_TAIL},
        {"Our other articles:", MS_CHROME_TAIL},
        {"You may also like", MS_CHROME_TAIL},
        {"Dermatologist Consultation Online", MS_CHROME_ADVERT},
        {"Book an appointment today", MS_CHROME_ADVERT},
        {"Our doctors give a consultation within a day!", MS_CHROME_ADVERT},
        {"Subscribe to our newsletter", MS_CHROME_ADVERT},
        /* prose that looks a little like chrome */
        {"Blood pressure > 140/90", MS_CHROME_NO},
        {"Nausea / Vomiting / Diarrhea", MS_CHROME_NO},
        {"Preparing for your appointment", MS_CHROME_NO},
        {"Call your doctor if the fever lasts more than three days.", MS_CHROME_NO},
        {"Take 2 tablets, twice a day", MS_CHROME_NO},
        {"Symptoms usually appear 2-3 days after exposure.", MS_CHROME_NO},
        {"Read more about DASH at www.nhlbi.nih.gov.", MS_CHROME_NO},
        {"The test costs 1234567 units", MS_CHROME_NO},
        {"Many clinics now offer a consultation by video call.", MS_CHROME_NO},
        {"Symptoms", MS_CHROME_NO},
    };
    for (size_t i = 0; i < N(cases); i++) {
        ms_chrome got = ms_chrome_line(cases[i].line, strlen(cases[i].line));
        if (got != cases[i].want)
            fail_msg("'%s': got %d, want %d", cases[i].line, (int)got, (int)cases[i].want);
    }
}

static void test_count_words_upto(void **state)
{
    (void)state;
    const char *s = " one\ttwo\vthree\r\nfour  five ";
    assert_int_equal(ms_count_words(s, strlen(s)), 5);
    assert_int_equal(ms_count_words_upto(s, strlen(s), 9), 5);
    assert_int_equal(ms_count_words_upto(s, strlen(s), 5), 5);
    assert_int_equal(ms_count_words_upto(s, strlen(s), 3), 3);
    assert_int_equal(ms_count_words_upto(s, strlen(s), 0), 0);
    assert_int_equal(ms_count_words_upto("", 0, 3), 0);
}

static void test_chrome_tail_only_in_second_half(void **state)
{
    (void)state;
    /* "Related articles" near the top is a widget: only the line goes */
    const char *d = "Burns\n\nRelated articles\n\nA burn damages the skin.\n\nCool it with "
                    "running water for twenty minutes.\n\nCover it with cling film.\n";
    ms_article a;
    parse_ok(d, strlen(d), MS_FMT_TEXT, NULL, &a);
    assert_true(any_text_has(&a, "Cover it with cling film.", false));
    assert_false(any_text_has(&a, "Related", false));
    assert_int_equal(a.boiler_lines, 1);
    ms_article_free(&a);
}

/* ---- boilerplate ------------------------------------------------------------------------- */

static const char *const REPEATED = "Ask our nurses anything, any time of day";
static const char *const ONCE = "A line that only one article has";

static void site_article(char *buf, size_t cap, int i, bool repeated, bool once)
{
    snprintf(buf, cap,
             "Condition %d\n\nCondition %d is a skin problem with its own story number %d.\n"
             "%s\n%s\nIt is treated by a doctor in the usual way for case %d.\n",
             i, i, i, repeated ? REPEATED : "", once ? ONCE : "", i);
}

static void test_boilerplate_learning(void **state)
{
    (void)state;
    ms_boilerplate *bp = ms_boilerplate_new();
    assert_non_null(bp);
    char buf[512];
    for (int i = 0; i < 6; i++) {
        site_article(buf, sizeof buf, i, i < 5, i == 0);
        ms_boilerplate_learn(bp, "clinic", buf, strlen(buf), MS_FMT_TEXT);
    }
    assert_true(ms_boilerplate_is_repeated(bp, "clinic", REPEATED, strlen(REPEATED)));
    assert_false(ms_boilerplate_is_repeated(bp, "clinic", ONCE, strlen(ONCE)));
    assert_false(ms_boilerplate_is_repeated(bp, "other", REPEATED, strlen(REPEATED)));
    assert_false(ms_boilerplate_is_repeated(bp, "clinic", REPEATED, 10));

    /* a site of 20: 3 articles are too few (15%), 4 are enough (20%) */
    for (int i = 0; i < 20; i++) {
        char page[256];
        snprintf(page, sizeof page, "Title %d\nthree of twenty%s\nfour of twenty%s\n", i,
                 i < 3 ? "" : " no", i < 4 ? "" : " no");
        ms_boilerplate_learn(bp, "big", page, strlen(page), MS_FMT_MARKDOWN);
    }
    assert_false(ms_boilerplate_is_repeated(bp, "big", "three of twenty", 15));
    assert_true(ms_boilerplate_is_repeated(bp, "big", "four of twenty", 14));

    /* parsing with the table drops the repeated line and counts it */
    site_article(buf, sizeof buf, 7, true, true);
    ms_article_opts o = {.boiler = bp, .site = "clinic"};
    ms_article a;
    parse_ok(buf, strlen(buf), MS_FMT_TEXT, &o, &a);
    assert_false(any_text_has(&a, REPEATED, false));
    assert_true(any_text_has(&a, ONCE, false));
    assert_true(any_text_has(&a, "treated by a doctor", false));
    assert_int_equal(a.boiler_lines, 1);
    assert_int_equal(a.boiler_bytes, strlen(REPEATED));
    ms_article_free(&a);
    /* another site's articles keep it */
    o.site = "other";
    parse_ok(buf, strlen(buf), MS_FMT_TEXT, &o, &a);
    assert_true(any_text_has(&a, REPEATED, false));
    ms_article_free(&a);
    ms_boilerplate_free(bp);
}

/* What an indexer keeps between runs: a file's keys count as its lines do,
 * and a parse's questions come back with the answers it was given. */
static void test_boilerplate_keys_and_trace(void **state)
{
    (void)state;
    ms_boilerplate *learned = ms_boilerplate_new(), *counted = ms_boilerplate_new();
    assert_non_null(learned);
    assert_non_null(counted);
    char buf[512];
    ms_bp_keys k = {0};
    for (int i = 0; i < 6; i++) {
        site_article(buf, sizeof buf, i, i < 5, i == 0);
        ms_boilerplate_learn(learned, "clinic", buf, strlen(buf), MS_FMT_TEXT);
        ms_boilerplate_keys("clinic", buf, strlen(buf), MS_FMT_TEXT, &k);
        for (size_t j = 1; j < k.n; j++)
            assert_true(k.key[j - 1] < k.key[j]); /* sorted, each once */
        ms_boilerplate_add(counted, "clinic", k.key, k.n);
    }
    assert_true(ms_boilerplate_is_repeated(counted, "clinic", REPEATED, strlen(REPEATED)));
    assert_false(ms_boilerplate_is_repeated(counted, "clinic", ONCE, strlen(ONCE)));

    /* the parse asks about its lines; the answers are the table's */
    ms_bp_keys asked = {0};
    site_article(buf, sizeof buf, 7, true, true);
    ms_article_opts o = {.boiler = counted, .site = "clinic"};
    ms_article a;
    ms_boilerplate_trace(counted, &asked);
    parse_ok(buf, strlen(buf), MS_FMT_TEXT, &o, &a);
    ms_boilerplate_trace(counted, NULL);
    ms_article_free(&a);
    ms_bp_keys_sort(&asked);
    assert_true(asked.n >= 2);
    size_t yes = 0;
    for (size_t j = 0; j < asked.n; j++) {
        int rep = ms_boilerplate_key_repeated(counted, "clinic", asked.key[j]);
        assert_int_equal(asked.flag[j], rep);
        assert_int_equal(ms_boilerplate_key_repeated(learned, "clinic", asked.key[j]), rep);
        yes += (size_t)rep;
    }
    assert_int_equal(yes, 1); /* REPEATED, and only it */
    /* the same key under another site is another line */
    assert_false(ms_boilerplate_key_repeated(counted, "other", asked.key[0]));
    ms_bp_keys_free(&asked);
    ms_bp_keys_free(&k);
    ms_boilerplate_free(learned);
    ms_boilerplate_free(counted);
}

static void test_boilerplate_html_and_sections(void **state)
{
    (void)state;
    ms_boilerplate *bp = ms_boilerplate_new();
    assert_non_null(bp);
    char page[1024];
    for (int i = 0; i < 5; i++) {
        snprintf(page, sizeof page,
                 "<h1>Topic %d</h1><p>Unique text %d about the topic.</p>"
                 "<h2>Research on topic %d</h2><p>Trials test new treatments.</p>"
                 "<h2>Ask our team</h2><p>Write to us for advice.</p>",
                 i, i, i);
        ms_boilerplate_learn(bp, "site", page, strlen(page), MS_FMT_HTML);
    }
    assert_true(ms_boilerplate_is_repeated(bp, "site", "Write to us for advice.", 23));
    snprintf(page, sizeof page,
             "<h1>Topic 9</h1><p>Unique text 9 about the topic.</p>"
             "<h2>Research on topic 9</h2><p>Trials test new treatments.</p>"
             "<h2>Ask our team</h2><p>Write to us for advice.</p>");
    ms_article_opts o = {.boiler = bp, .site = "site"};
    ms_article a;
    parse_ok(page, strlen(page), MS_FMT_HTML, &o, &a);
    /* the shared paragraph under an article's own heading is content; under
     * a heading every page has, it is chrome */
    static const char *const sections[] = {"", "Research on topic 9"};
    assert_sections(&a, sections, N(sections));
    assert_string_equal(a.passages[1].text, "Trials test new treatments.");
    assert_false(any_text_has(&a, "Write to us", false));
    ms_article_free(&a);
    ms_boilerplate_free(bp);
}

static void test_boilerplate_null_safe(void **state)
{
    (void)state;
    assert_false(ms_boilerplate_is_repeated(NULL, "x", "y", 1));
    ms_boilerplate_free(NULL);
    ms_boilerplate *bp = ms_boilerplate_new();
    assert_non_null(bp);
    assert_false(ms_boilerplate_is_repeated(bp, "x", "y", 1));
    ms_boilerplate_learn(bp, NULL, "a\nb\n", 4, MS_FMT_TEXT);
    assert_false(ms_boilerplate_is_repeated(bp, NULL, "a", 1));
    ms_boilerplate_free(bp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_names),
        cmocka_unit_test(test_unknown_format_is_sniffed),
        cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_nul_after_8k_is_not_binary),
        cmocka_unit_test(test_bom_and_crlf),
        cmocka_unit_test(test_invalid_utf8_passes_through),
        cmocka_unit_test(test_text_title_only),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_text_numbered_sections),
        cmocka_unit_test(test_text_byline_colon_sections),
        cmocka_unit_test(test_text_clinic_page),
        cmocka_unit_test(test_text_wrapped_paragraphs),
        cmocka_unit_test(test_text_no_title),
        cmocka_unit_test(test_markdown_odd_front_matter),
        cmocka_unit_test(test_markdown_atx_title),
        cmocka_unit_test(test_markdown_front_matter_edge_cases),
        cmocka_unit_test(test_html_broken_page),
        cmocka_unit_test(test_html_titles),
        cmocka_unit_test(test_html_minified_and_deep),
        cmocka_unit_test(test_long_sections_are_split),
        cmocka_unit_test(test_cut_inside_words),
        cmocka_unit_test(test_ten_megabytes),
        cmocka_unit_test(test_every_fixture_keeps_the_invariants),
        cmocka_unit_test(test_whole_corpus_keeps_the_invariants),
        cmocka_unit_test(test_chrome_rules),
        cmocka_unit_test(test_count_words_upto),
        cmocka_unit_test(test_chrome_tail_only_in_second_half),
        cmocka_unit_test(test_boilerplate_learning),
        cmocka_unit_test(test_boilerplate_keys_and_trace),
        cmocka_unit_test(test_boilerplate_html_and_sections),
        cmocka_unit_test(test_boilerplate_null_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
