/*
 * article.c - files as people have them -> articles cut into passages.
 *
 * Health articles reach the indexer as plain text copied off web pages,
 * Markdown written by converters, or saved HTML. All three carry the same
 * things: a title, some metadata, sections of prose, and a good deal of
 * site chrome (breadcrumbs, bylines, share bars, "Related articles", footers
 * with addresses and phone numbers, adverts) that must not be indexed.
 *
 * This file is the stage's entry: the input checks (binary, UTF-16/32,
 * empty), the UTF-8 BOM, the format (named, from the file name, or sniffed
 * from the content), and the choice of reader. Each format has its own
 * parser (text.c, markdown.c, html.c) that turns the file into blocks
 * (doc.c), dropping chrome on the way (chrome.c, byline.c); then the lines
 * the site repeats are dropped (doc.c, by the table of boilerplate.c) and
 * the blocks cut into passages (passages.c). Learning that table reads
 * each file as its parser does, so the keys of a file's lines
 * (ms_boilerplate_keys) and ms_boilerplate_learn() are here too.
 *
 * Dependencies run one way: textutil <- chrome, byline, boilerplate <- doc
 * <- passages and the parsers <- this file.
 */
#include "article/article.h"

#include <stdlib.h>
#include <string.h>

#include "article/boilerplate.h"
#include "article/date.h"
#include "article/doc.h"
#include "article/html.h"
#include "article/markdown.h"
#include "article/passages.h"
#include "article/text.h"
#include "article/textutil.h"

/* ---- format names ------------------------------------------------------------ */

/* Whether a and b are the same name, ASCII letters folded. */
static bool ascii_ieq(const char *a, const char *b)
{
    return ms_equal_ci(a, strlen(a), b, strlen(b));
}

ms_format ms_format_from_path(const char *path)
{
    if (!path)
        return MS_FMT_UNKNOWN;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return MS_FMT_UNKNOWN;
    const char *ext = dot + 1;
    if (ascii_ieq(ext, "txt") || ascii_ieq(ext, "text"))
        return MS_FMT_TEXT;
    if (ascii_ieq(ext, "md") || ascii_ieq(ext, "markdown"))
        return MS_FMT_MARKDOWN;
    if (ascii_ieq(ext, "html") || ascii_ieq(ext, "htm") || ascii_ieq(ext, "xhtml"))
        return MS_FMT_HTML;
    return MS_FMT_UNKNOWN;
}

ms_format ms_format_from_name(const char *name)
{
    if (!name)
        return MS_FMT_UNKNOWN;
    if (ascii_ieq(name, "text"))
        return MS_FMT_TEXT;
    if (ascii_ieq(name, "markdown") || ascii_ieq(name, "md"))
        return MS_FMT_MARKDOWN;
    if (ascii_ieq(name, "html"))
        return MS_FMT_HTML;
    return MS_FMT_UNKNOWN;
}

const char *ms_format_name(ms_format fmt)
{
    switch (fmt) {
    case MS_FMT_TEXT:
        return "text";
    case MS_FMT_MARKDOWN:
        return "markdown";
    case MS_FMT_HTML:
        return "html";
    default:
        return "unknown";
    }
}

/* ---- entry points ------------------------------------------------------------------ */

void ms_article_free(ms_article *a)
{
    if (!a)
        return;
    free(a->title);
    free(a->id);
    free(a->source);
    free(a->url);
    free(a->date);
    free(a->date_text);
    free(a->author);
    free(a->description);
    free(a->also_called);
    free(a->tags);
    free(a->lang);
    for (size_t i = 0; i < a->n_passages; i++) {
        free(a->passages[i].section);
        free(a->passages[i].text);
    }
    free(a->passages);
    memset(a, 0, sizeof *a);
}

/* Share of zero bytes at each position modulo 4 of the head of the file. */
static void zero_profile(const unsigned char *s, size_t n, size_t z[4])
{
    z[0] = z[1] = z[2] = z[3] = 0;
    for (size_t i = 0; i < n; i++)
        z[i & 3] += s[i] == 0;
}

/* UTF-16 or UTF-32 without a BOM: zero bytes at regular positions. ASCII
 * text in UTF-16LE is "a\0b\0", in UTF-32LE "a\0\0\0". */
static int wide_pattern(const unsigned char *s, size_t n)
{
    n &= ~(size_t)3;
    if (n < 8)
        return 0;
    size_t z[4], q = n / 4;
    zero_profile(s, n, z);
    if ((z[1] + z[2] + z[3] >= q * 27 / 10 && z[0] <= q / 10) ||
        (z[0] + z[1] + z[2] >= q * 27 / 10 && z[3] <= q / 10))
        return 32;
    size_t even = z[0] + z[2], odd = z[1] + z[3], half = n / 2;
    if ((odd * 10 >= half * 6 && even * 10 <= half) || (even * 10 >= half * 6 && odd * 10 <= half))
        return 16;
    return 0;
}

/* Bytes of a UTF-8 byte order mark at the start of data: 3 or 0. */
static size_t bom_len(const char *data, size_t len)
{
    return len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
}

/* Which parser a file of unknown format needs: HTML when it starts with a
 * tag, Markdown when it has front matter or an ATX heading, else text. */
static ms_format sniff(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && ms_is_space((unsigned char)s[i]))
        i++;
    if (i < n && s[i] == '<')
        return MS_FMT_HTML;
    if (n - i >= 4 && memcmp(s + i, "---", 3) == 0 && (s[i + 3] == '\n' || s[i + 3] == '\r'))
        return MS_FMT_MARKDOWN;
    size_t pos = i;
    ms_line ln;
    for (int k = 0; k < 50 && ms_line_next(s, n, &pos, &ln); k++)
        if (ln.end > ln.start && s[ln.start] == '#' && ln.end - ln.start > 1 &&
            (s[ln.start + 1] == ' ' || s[ln.start + 1] == '#'))
            return MS_FMT_MARKDOWN;
    return MS_FMT_TEXT;
}

/* The title of a file that gives none: its name without the extension,
 * dashes and underscores as spaces ("eczema-diary.md": "eczema diary");
 * "" without a name. -1 when out of memory. */
static int name_title(ms_article *a, const char *name)
{
    free(a->title);
    size_t n = name ? strlen(name) : 0;
    const char *dot = name ? strrchr(name, '.') : NULL;
    if (dot && dot > name)
        n = (size_t)(dot - name);
    if (!(a->title = malloc(n + 1)))
        return -1;
    for (size_t i = 0; i < n; i++)
        a->title[i] = name[i] == '-' || name[i] == '_' ? ' ' : name[i];
    a->title[n] = '\0';
    return 0;
}

int ms_article_parse(const char *data, size_t len, ms_format fmt, const ms_article_opts *opts,
                     ms_article *out, ms_error *err)
{
    memset(out, 0, sizeof *out);
    if (!data)
        len = 0;
    const unsigned char *u = (const unsigned char *)data;
    if (len >= 4 && ((u[0] == 0xff && u[1] == 0xfe && u[2] == 0 && u[3] == 0) ||
                     (u[0] == 0 && u[1] == 0 && u[2] == 0xfe && u[3] == 0xff)))
        return ms_fail(err, MS_EFORMAT, "UTF-32 text is not supported (convert it to UTF-8)");
    if (len >= 2 && ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff)))
        return ms_fail(err, MS_EFORMAT, "UTF-16 text is not supported (convert it to UTF-8)");
    /* UTF-16 and UTF-32 have zero bytes too: without one the head is
     * neither, and a memchr spares the count of every byte. */
    size_t head = len < 8192 ? len : 8192;
    if (head && memchr(data, '\0', head)) {
        int wide = wide_pattern(u, head);
        if (wide)
            return ms_fail(err, MS_EFORMAT, "UTF-%d text is not supported (convert it to UTF-8)",
                           wide);
        return ms_fail(err, MS_EFORMAT, "binary file");
    }
    size_t body = bom_len(data, len);
    size_t i = body;
    while (i < len && ms_is_space(u[i]))
        i++;
    if (i == len)
        return ms_fail(err, MS_EFORMAT, "empty file");
    if (fmt != MS_FMT_TEXT && fmt != MS_FMT_MARKDOWN && fmt != MS_FMT_HTML)
        fmt = sniff(data + body, len - body);
    out->format = fmt;
    ms_doc d = {
        .data = data, .len = len, .body = body, .opts = opts, .a = out, .title_start = body};
    int rc = fmt == MS_FMT_TEXT       ? ms_parse_text(&d)
             : fmt == MS_FMT_MARKDOWN ? ms_parse_markdown(&d)
                                      : ms_parse_html(&d);
    if (!rc && d.refused) {
        ms_doc_free_blocks(&d);
        ms_article_free(out);
        return ms_fail(err, MS_EFORMAT, "%s", d.refused);
    }
    if (!rc) {
        ms_doc_drop_repeated(&d);
        rc = ms_passages_build(&d);
    }
    if (!rc)
        rc = ms_date_settle(out, d.date_meta);
    ms_doc_free_blocks(&d);
    if (!rc && (!out->title || !out->title[0]))
        rc = name_title(out, opts ? opts->name : NULL);
    if (rc) {
        ms_article_free(out);
        return ms_fail(err, MS_ENOMEM, "out of memory");
    }
    return 0;
}

/* ---- learning the site's repeated lines ---------------------------------------------- */

void ms_boilerplate_keys(const char *site, const char *data, size_t len, ms_format fmt,
                         ms_bp_keys *out)
{
    out->n = 0;
    if (!data)
        return;
    uint64_t sk = ms_bp_site_key(site);
    size_t body = bom_len(data, len);
    if (fmt == MS_FMT_HTML) {
        ms_article a = {0};
        ms_doc d = {.data = data, .len = len, .body = body, .a = &a};
        if (ms_html_blocks(&d) == 0)
            for (size_t i = 0; i < d.n; i++)
                ms_bp_keys_line(out, sk, d.b[i].text, d.b[i].len);
        ms_doc_free_blocks(&d);
        ms_article_free(&a);
    } else {
        ms_line ln;
        for (size_t pos = body; ms_line_next(data, len, &pos, &ln);)
            ms_bp_keys_line(out, sk, data + ln.start, ln.end - ln.start);
    }
    ms_bp_keys_sort(out);
}

void ms_boilerplate_learn(ms_boilerplate *bp, const char *site, const char *data, size_t len,
                          ms_format fmt)
{
    if (!bp || !data)
        return;
    ms_bp_keys k = {0};
    ms_boilerplate_keys(site, data, len, fmt, &k);
    ms_boilerplate_add(bp, site, k.key, k.n);
    ms_bp_keys_free(&k);
}
