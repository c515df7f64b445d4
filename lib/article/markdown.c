/*
 * markdown.c - Markdown articles, with optional front matter.
 *
 * Not a CommonMark implementation: what search needs is the title, the
 * metadata, the headings that start sections and readable paragraph text,
 * so the parser reads the file line by line and keeps a single open block:
 *
 *   - front matter between "---" lines at the top: "key: value" lines for
 *     the keys ms_article has (quotes removed, [a, b] and "- item" lists
 *     joined with ", "), anything else ignored;
 *   - ATX ("# x") and setext (a line underlined with === or ---) headings.
 *     The first level-1 heading is the title unless the front matter gave
 *     one; a level-1 heading repeating the title is dropped; every other
 *     heading starts a section. Without either, a short first line is the
 *     title;
 *   - list items ("-", "*", "+", "1.") are blocks of their own; lines
 *     without a blank line before them continue the open block;
 *   - fenced code is kept as text, line by line; block quote markers,
 *     table pipes, HTML comments and link reference definitions go;
 *   - inline markup is reduced to its text: [text](url) and [text][ref]
 *     to text, images to nothing, emphasis, code and strike-through
 *     markers removed (not between two letters, as in UGT1A1*28), backslash escapes resolved,
 * inline HTML tags removed.
 *
 * Every block keeps the exact bytes of its lines, so spans need no search.
 * The chrome rules run over the finished blocks; the site's repeated lines
 * are checked on the raw lines, which is what the learner counted.
 */
#include "article/markdown.h"

#include <stdlib.h>
#include <string.h>

#include "article/textutil.h"

/* ---- inline markup ------------------------------------------------------------ */

/* Inline constructs are looked for within this many bytes, so that a line
 * of ten thousand "[" costs linear time. */
#define MD_SPAN_MAX 2048

/* The index of the bracket closing the one at s[i] (same kind), or n. */
static size_t closing(const char *s, size_t n, size_t i, char open, char close)
{
    int depth = 0;
    size_t lim = n - i > MD_SPAN_MAX ? i + MD_SPAN_MAX : n;
    for (size_t k = i; k < lim; k++) {
        if (s[k] == '\\') {
            k++;
            continue;
        }
        if (s[k] == open)
            depth++;
        else if (s[k] == close && --depth == 0)
            return k;
    }
    return n;
}

static bool ascii_punct(char c)
{
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
}

static void md_inline(ms_sbuf *o, const char *s, size_t n, int depth)
{
    size_t plain = 0; /* start of the run of plain bytes not yet copied */
#define COPY_PLAIN(upto) ms_text_put(o, s + plain, (upto)-plain)
    /* the bytes that may start markup; any other is plain text */
    static const bool special[256] = {['\\'] = true, ['!'] = true, ['['] = true, ['<'] = true,
                                      ['*'] = true,  ['_'] = true, ['`'] = true, ['~'] = true};
    for (size_t i = 0; i < n;) {
        /* most bytes are plain: a tight loop passes them */
        while (i < n && !special[(unsigned char)s[i]])
            i++;
        if (i == n)
            break;
        char c = s[i];
        if (c == '\\' && i + 1 < n && ascii_punct(s[i + 1])) {
            COPY_PLAIN(i);
            ms_sb_put(o, s + i + 1, 1);
            i += 2;
            plain = i;
        } else if ((c == '!' && i + 1 < n && s[i + 1] == '[') || c == '[') {
            size_t b = c == '!' ? i + 1 : i;
            size_t e = closing(s, n, b, '[', ']');
            if (e == n || depth > 3) {
                i++;
                continue;
            }
            size_t after = e + 1, end = after;
            if (after < n && s[after] == '(') {
                end = closing(s, n, after, '(', ')');
                if (end == n) {
                    i++;
                    continue;
                }
                end++;
            } else if (after < n && s[after] == '[') {
                end = closing(s, n, after, '[', ']');
                if (end == n) {
                    i++;
                    continue;
                }
                end++;
            } else if (c == '!') {
                i++;
                continue;
            }
            /* "[1]" alone is a citation, kept as written */
            if (end == after) {
                i++;
                continue;
            }
            COPY_PLAIN(i);
            if (c == '[') /* images are dropped, alt text and all */
                md_inline(o, s + b + 1, e - b - 1, depth + 1);
            i = end;
            plain = i;
        } else if (c == '<') {
            /* autolink <http://x> keeps its address; an HTML tag goes */
            size_t lim = n - i > MD_SPAN_MAX ? i + MD_SPAN_MAX : n;
            const char *gt = memchr(s + i, '>', lim - i);
            bool tag = gt && i + 1 < n &&
                       ((s[i + 1] >= 'a' && s[i + 1] <= 'z') ||
                        (s[i + 1] >= 'A' && s[i + 1] <= 'Z') || s[i + 1] == '/' || s[i + 1] == '!');
            if (!tag) {
                i++;
                continue;
            }
            size_t e = (size_t)(gt - s);
            COPY_PLAIN(i);
            const char *colon = memchr(s + i, ':', e - i);
            const char *at = memchr(s + i, '@', e - i);
            if ((colon || at) && !memchr(s + i, ' ', e - i))
                ms_sb_put(o, s + i + 1, e - i - 1);
            else
                ms_text_put(o, " ", 1); /* <br> and friends separate words */
            i = e + 1;
            plain = i;
        } else if (c == '*' || c == '_' || c == '`' || (c == '~' && i + 1 < n && s[i + 1] == '~')) {
            /* Emphasis, code and strike-through markers touch a word on one
             * side only; between two letters they are text (snake_case, the
             * allele UGT1A1*28), and removing them would glue two words
             * into one the source does not have. */
            size_t k = i;
            while (k < n && s[k] == c)
                k++;
            bool left = i == 0 || !ms_is_alnum((unsigned char)s[i - 1]);
            bool right = k == n || !ms_is_alnum((unsigned char)s[k]);
            if (left || right) {
                COPY_PLAIN(i);
                plain = k;
            }
            i = k;
        } else {
            i++;
        }
    }
    COPY_PLAIN(n);
#undef COPY_PLAIN
}

/* ---- front matter ------------------------------------------------------------- */

static char **fm_field(ms_article *a, const char *key, size_t n)
{
    static const struct {
        const char *key;
        size_t off;
    } keys[] = {
        {"title", offsetof(ms_article, title)},
        {"source", offsetof(ms_article, source)},
        {"site", offsetof(ms_article, source)},
        {"publisher", offsetof(ms_article, source)},
        {"url", offsetof(ms_article, url)},
        {"link", offsetof(ms_article, url)},
        {"canonical", offsetof(ms_article, url)},
        {"date", offsetof(ms_article, date_text)},
        {"published", offsetof(ms_article, date_text)},
        {"author", offsetof(ms_article, author)},
        {"authors", offsetof(ms_article, author)},
        {"id", offsetof(ms_article, id)},
        {"also-called", offsetof(ms_article, also_called)},
        {"also_called", offsetof(ms_article, also_called)},
        {"aliases", offsetof(ms_article, also_called)},
        {"synonyms", offsetof(ms_article, also_called)},
        {"tags", offsetof(ms_article, tags)},
        {"keywords", offsetof(ms_article, tags)},
        {"categories", offsetof(ms_article, tags)},
        {"description", offsetof(ms_article, description)},
        {"lang", offsetof(ms_article, lang)},
        {"language", offsetof(ms_article, lang)},
        {"summary", offsetof(ms_article, description)},
    };
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (ms_equal_ci(key, n, keys[i].key, strlen(keys[i].key)))
            return (char **)((char *)a + keys[i].off);
    return NULL;
}

/* Append a list element (quotes and white space off) to list. */
static void list_add(ms_sbuf *list, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n >= 2 && ((s[0] == '"' && s[n - 1] == '"') || (s[0] == '\'' && s[n - 1] == '\'')))
        s++, n -= 2;
    if (!n)
        return;
    if (list->n)
        ms_sb_put(list, ", ", 2);
    ms_text_put(list, s, n);
}

/* Store a value: "[a, b]" lists are joined, anything else cleaned. */
static void fm_store(char **field, const char *v, size_t vn)
{
    if (vn >= 2 && v[0] == '[' && v[vn - 1] == ']') {
        ms_sbuf list = {0};
        size_t a = 1;
        for (size_t i = 1; i < vn; i++) {
            if (v[i] == ',' || i == vn - 1) {
                list_add(&list, v + a, i - a);
                a = i + 1;
            }
        }
        if (list.n)
            ms_set_field(field, list.p, list.n, false);
        free(list.p);
        return;
    }
    ms_set_field(field, v, vn, false);
}

/* Read front matter at d->body if any; *pos is left after it. */
static void front_matter(ms_doc *d, size_t *pos)
{
    const char *s = d->data;
    ms_line ln;
    size_t p = d->body;
    if (!ms_line_next(s, d->len, &p, &ln) || ln.end - ln.start != 3 ||
        memcmp(s + ln.start, "---", 3) != 0 || ln.start != ln.raw)
        return;
    size_t body = p, close = 0;
    for (size_t q = p; ms_line_next(s, d->len, &q, &ln);) {
        size_t n = ln.end - ln.start;
        if (ln.start == ln.raw && n == 3 &&
            (memcmp(s + ln.start, "---", 3) == 0 || memcmp(s + ln.start, "...", 3) == 0)) {
            close = q;
            break;
        }
    }
    if (!close)
        return; /* no closing line: a thematic break, not front matter */
    ms_sbuf list = {0};
    char **list_field = NULL; /* a key with an empty value may be a "- item" list */
    for (p = body; p < close && ms_line_next(s, d->len, &p, &ln) && p < close;) {
        const char *l = s + ln.start;
        size_t n = ln.end - ln.start;
        if (list_field && n && l[0] == '-') {
            list_add(&list, l + 1, n - 1);
            continue;
        }
        if (list_field && list.n)
            ms_set_field(list_field, list.p, list.n, false);
        list.n = 0;
        list_field = NULL;
        const char *colon = memchr(l, ':', n);
        if (!colon || ln.start != ln.raw) /* nested keys are not ours */
            continue;
        size_t kn = (size_t)(colon - l);
        while (kn && (l[kn - 1] == ' ' || l[kn - 1] == '\t'))
            kn--;
        char **field = fm_field(d->a, l, kn);
        if (!field)
            continue;
        const char *v = colon + 1;
        size_t vn = n - (size_t)(v - l);
        while (vn && (*v == ' ' || *v == '\t'))
            v++, vn--;
        if (!vn) {
            list_field = field;
            continue;
        }
        fm_store(field, v, vn);
        if (field == &d->a->title) {
            d->title_start = (size_t)(v - s);
            d->title_end = ln.end;
            d->title_exact = true;
        }
    }
    if (list_field && list.n)
        ms_set_field(list_field, list.p, list.n, false);
    free(list.p);
    *pos = close;
}

/* ---- blocks --------------------------------------------------------------------- */

typedef struct mdstate {
    ms_doc *d;
    ms_sbuf text;
    bool open;
    ms_blk_kind kind;
    size_t s, e;
    bool title_set; /* the title came from front matter or a heading */
} mdstate;

static int flush(mdstate *m)
{
    if (!m->open)
        return 0;
    m->open = false;
    return ms_doc_add(m->d, m->kind, &m->text, m->s, m->e, true);
}

/* A heading of the lines [s, e), its text at [ts, te). */
static int heading(mdstate *m, int level, const char *data, size_t s, size_t e, size_t ts,
                   size_t te)
{
    if (flush(m))
        return -1;
    ms_sbuf h = {0};
    md_inline(&h, data + ts, te - ts, 0);
    ms_text_trim(&h);
    ms_article *a = m->d->a;
    int rc = 0;
    if (level == 1 && !m->title_set && h.n) {
        ms_set_field(&a->title, h.p, h.n, false);
        m->d->title_start = s;
        m->d->title_end = e;
        m->d->title_exact = true;
        m->title_set = true;
    } else if (level == 1 && a->title && ms_equal_ci(h.p, h.n, a->title, strlen(a->title))) {
        /* the title again, under the front matter */
    } else {
        size_t before = m->d->n;
        rc = ms_doc_add(m->d, MS_BLK_HEADING, &h, s, e, true);
        ms_doc_mark_repeated(m->d, before, data + s, e - s);
    }
    free(h.p);
    return rc;
}

/* "---", "***", "___" (spaces allowed between): a thematic break. */
static bool is_break(const char *s, size_t n)
{
    if (!n || (s[0] != '-' && s[0] != '*' && s[0] != '_'))
        return false;
    size_t marks = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == s[0])
            marks++;
        else if (s[i] != ' ' && s[i] != '\t')
            return false;
    }
    return marks >= 3;
}

static bool is_underline(const char *s, size_t n, char c)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] != c)
            return false;
    return c == '=' || n >= 2;
}

/* Length of an opening code fence (``` or ~~~), 0 if none. */
static size_t fence_len(const char *s, size_t n)
{
    size_t k = 0;
    if (!n || (s[0] != '`' && s[0] != '~'))
        return 0;
    while (k < n && s[k] == s[0])
        k++;
    return k >= 3 ? k : 0;
}

/* A row of a table's separator: "|---|:--:|". */
static bool is_table_rule(const char *s, size_t n)
{
    bool dash = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '-')
            dash = true;
        else if (s[i] != '|' && s[i] != ':' && s[i] != ' ')
            return false;
    }
    return dash;
}

/* "[ref]: http://..." */
static bool is_link_def(const char *s, size_t n)
{
    if (!n || s[0] != '[')
        return false;
    const char *e = memchr(s, ']', n);
    return e && e > s + 1 && (size_t)(e - s) + 1 < n && e[1] == ':';
}

/* A file with neither front-matter title nor heading: its first line is
 * the title when it stands alone and reads like one (a dozen words at
 * most); it stays a passage too. Else the indexer names it by its file. */
static void first_line_title(ms_doc *d)
{
    if (!d->n)
        return;
    const ms_block *b = &d->b[0];
    if (b->kind == MS_BLK_HEADING || !b->exact || b->len > 120 ||
        ms_count_words(b->text, b->len) > 12 || memchr(d->data + b->start, '\n', b->end - b->start))
        return;
    ms_set_field(&d->a->title, b->text, b->len, false);
}

int ms_parse_markdown(ms_doc *d)
{
    const char *data = d->data;
    size_t pos = d->body;
    front_matter(d, &pos);
    mdstate m = {.d = d, .title_set = d->a->title != NULL};
    ms_line ln;
    bool gap = true, comment = false;
    char fence = 0;
    size_t fence_n = 0;
    int rc = 0;
    while (!rc && ms_line_next(data, d->len, &pos, &ln)) {
        const char *s = data + ln.start;
        size_t n = ln.end - ln.start;
        if (fence) {
            size_t f = fence_len(s, n);
            if (f >= fence_n && s[0] == fence && f == n) {
                fence = 0;
                rc = flush(&m);
            } else if (n) {
                if (!m.open) {
                    m.open = true;
                    m.kind = MS_BLK_PARA;
                    m.s = ln.start;
                } else {
                    ms_sb_put(&m.text, "\n", 1);
                }
                ms_text_put(&m.text, s, n);
                m.e = ln.end;
            }
            continue;
        }
        if (comment) {
            if (n >= 3 && memcmp(s + n - 3, "-->", 3) == 0)
                comment = false;
            continue;
        }
        if (!n) {
            gap = true;
            rc = flush(&m);
            continue;
        }
        bool was_gap = gap;
        gap = false;
        /* block quotes: the markers go, the text is read as any other */
        while (n && s[0] == '>') {
            s++, n--;
            while (n && s[0] == ' ')
                s++, n--;
        }
        if (!n)
            continue;
        size_t f = fence_len(s, n);
        if (f && !memchr(s + f, s[0], n - f)) {
            rc = flush(&m);
            fence = s[0];
            fence_n = f;
            continue;
        }
        if (n >= 4 && memcmp(s, "<!--", 4) == 0) {
            if (!(n >= 7 && memcmp(s + n - 3, "-->", 3) == 0))
                comment = true;
            continue;
        }
        if (s[0] == '#') {
            size_t h = 0;
            while (h < n && s[h] == '#')
                h++;
            if (h <= 6 && (h == n || s[h] == ' ' || s[h] == '\t')) {
                size_t ts = h, te = n;
                /* closing hashes: "## Title ##" */
                size_t k = te;
                while (k > ts && s[k - 1] == '#')
                    k--;
                if (k < te && (k == ts || s[k - 1] == ' '))
                    te = k;
                size_t base = (size_t)(s - data);
                rc = heading(&m, (int)h, data, ln.start, ln.end, base + ts, base + te);
                continue;
            }
        }
        if (m.open && m.kind == MS_BLK_PARA && !was_gap &&
            (is_underline(s, n, '=') || is_underline(s, n, '-'))) {
            /* setext: the open paragraph was a heading */
            int level = s[0] == '=' ? 1 : 2;
            size_t hs = m.s, he = m.e;
            m.open = false;
            free(m.text.p);
            m.text = (ms_sbuf){0};
            rc = heading(&m, level, data, hs, ln.end, hs, he);
            continue;
        }
        if (is_break(s, n)) {
            rc = flush(&m);
            continue;
        }
        if (is_link_def(s, n) || (s[0] == '|' && is_table_rule(s, n)))
            continue;
        /* A line the site repeats is a block of its own, for
         * ms_doc_drop_repeated to drop. */
        bool rep = ms_doc_repeated(d, data + ln.start, ln.end - ln.start);
        size_t item = ms_bullet_len(s, n);
        if (!item)
            item = ms_number_len(s, n);
        if (item || s[0] == '|' || rep) {
            rc = flush(&m);
            if (rc)
                break;
            size_t before = d->n;
            m.open = true;
            m.kind = item ? MS_BLK_ITEM : MS_BLK_PARA;
            m.s = ln.start;
            m.e = ln.end;
            if (s[0] == '|') {
                /* a table row: cells become words separated by spaces */
                for (size_t i = 0; i < n; i++) {
                    size_t k = i;
                    while (k < n && s[k] != '|')
                        k++;
                    md_inline(&m.text, s + i, k - i, 0);
                    ms_text_put(&m.text, " ", 1);
                    i = k;
                }
                rc = flush(&m);
            } else {
                md_inline(&m.text, s + item, n - item, 0);
            }
            if (rep && !rc) {
                rc = flush(&m);
                if (d->n > before)
                    d->b[d->n - 1].repeated = true;
            }
            continue;
        }
        if (!m.open || was_gap) {
            rc = flush(&m);
            m.open = true;
            m.kind = MS_BLK_PARA;
            m.s = ln.start;
        } else {
            ms_text_put(&m.text, " ", 1);
        }
        md_inline(&m.text, s, n, 0);
        m.e = ln.end;
    }
    if (!rc)
        rc = flush(&m);
    free(m.text.p);
    if (!rc)
        ms_doc_drop_chrome(d, false);
    if (!rc && !d->a->title)
        first_line_title(d);
    return rc;
}
