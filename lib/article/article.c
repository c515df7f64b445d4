/*
 * article.c - files as people have them -> articles cut into passages.
 *
 * Health articles reach the indexer as plain text copied off web pages,
 * Markdown written by converters, or saved HTML. All three carry the same
 * things: a title, some metadata, sections of prose, and a good deal of
 * site chrome (breadcrumbs, bylines, share bars, "Related articles", footers
 * with addresses and phone numbers, adverts) that must not be indexed.
 *
 * Each format has its own parser (text.c, markdown.c, html.c) whose only job
 * is to turn the file into a flat list of blocks in file order: headings,
 * paragraphs and list items, each with readable text and the source bytes it
 * came from. Everything after that is shared and lives here:
 *
 *   - input checks (binary, UTF-16/32, empty), the UTF-8 BOM;
 *   - line iteration and text clean-up used by all parsers;
 *   - the chrome rules: a line is judged on its own (navigation phrases,
 *     phone numbers, addresses, opening hours, adverts, bylines) and in its
 *     page (a "Related articles" heading in the second half of a page cuts
 *     the teasers after it; a block of short lines holding a phone number or
 *     an address is a footer; an exclamation right before an advert is its
 *     lead-in). Lines that recur across a site come from ms_boilerplate;
 *   - passages: a section's blocks are grouped into runs of whole blocks of
 *     at most passage_max_bytes, balanced so that a long section does not
 *     end in a stub; a single paragraph longer than the bound is cut at
 *     sentence ends first;
 *   - byte spans. Text and Markdown blocks know their exact source bytes.
 *     HTML blocks (libxml2 gives line numbers, not offsets) and pieces of
 *     a cut paragraph only know bounds, so their words are searched for in
 *     the source, in order, from the end of the previous passage: a word is
 *     found within a 16 KiB window, or beyond it while a budget proportional
 *     to the file lasts, so a page full of words that cannot be found
 *     (entities) still costs linear time. Line numbers are counted from the
 *     spans.
 */
#include "article_priv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- format names ------------------------------------------------------------ */

static bool ascii_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
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

/* ---- growable string ------------------------------------------------------------ */

static bool buf_grow(ms_buf *b, size_t extra)
{
    if (b->oom)
        return false;
    if (extra < SIZE_MAX - b->n - 1 && b->n + extra + 1 <= b->cap)
        return true;
    if (extra >= SIZE_MAX / 2 - b->n) {
        b->oom = true;
        return false;
    }
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->n + extra + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

void ms_buf_free(ms_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

void ms_buf_put(ms_buf *b, const char *s, size_t n)
{
    if (!buf_grow(b, n))
        return;
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

void ms_buf_putc(ms_buf *b, char c)
{
    ms_buf_put(b, &c, 1);
}

size_t ms_space_at(const unsigned char *s, size_t n)
{
    if (n == 0)
        return 0;
    if (s[0] < 0x20 || s[0] == ' ' || s[0] == 0x7f)
        return 1;
    if (n >= 2 && s[0] == 0xc2 && s[1] == 0xa0)
        return 2;
    if (n >= 3 && s[0] == 0xe2 && s[1] == 0x80 && (s[2] <= 0x8b || s[2] == 0xaf))
        return 3;
    if (n >= 3 && s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0x9f)
        return 3;
    if (n >= 3 && s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)
        return 3;
    if (n >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
        return 3;
    return 0;
}

/* Bytes of a white-space character ending at s + n. */
static size_t space_before(const unsigned char *s, size_t n)
{
    if (n == 0)
        return 0;
    if (s[n - 1] < 0x80)
        return ms_space_at(s + n - 1, 1);
    if (n >= 2 && ms_space_at(s + n - 2, 2) == 2)
        return 2;
    if (n >= 3 && ms_space_at(s + n - 3, 3) == 3)
        return 3;
    return 0;
}

/* Whether the 8 bytes at p are printable ASCII and spaces, no two spaces
 * together: text that cleaning leaves as it is. Each test sets the top bit
 * of the bytes it flags, 8 at a time: x - ' ' for a byte below ' ' (the
 * borrow can only flag the byte above a flagged one), x for one above 0x7f,
 * x + 1 for 0x7f; e & 0x7f... + 0x7f... clears the top bit only of a byte
 * of e that is zero, that is a space in x. */
static bool plain8(const unsigned char *p)
{
    const uint64_t ones = 0x0101010101010101u, top = ones * 0x80;
    uint64_t x;
    memcpy(&x, p, 8);
    uint64_t bad = ((x - ones * ' ') | x | (x + ones)) & top;
    uint64_t e = x ^ (ones * ' ');
    uint64_t sp = ~(((e & ~top) + ~top) | e) & top;
    return !(bad | (sp & (sp >> 8)));
}

void ms_buf_put_text(ms_buf *b, const char *s, size_t n)
{
    /* Cleaning never makes text longer, so one reservation does. */
    if (!buf_grow(b, n))
        return;
    const unsigned char *u = (const unsigned char *)s;
    char *o = b->p + b->n;
    bool space = b->n == 0 || b->p[b->n - 1] == ' ' || b->p[b->n - 1] == '\n';
    for (size_t i = 0; i < n;) {
        if (n - i >= 8 && plain8(u + i) && !(space && u[i] == ' ')) {
            memcpy(o, u + i, 8);
            o += 8;
            space = u[i + 7] == ' ';
            i += 8;
            continue;
        }
        /* byte by byte to the end of those 8 */
        for (size_t stop = n - i > 8 ? i + 8 : n; i < stop;) {
            size_t w = u[i] > ' ' && u[i] < 0x7f ? 0 : ms_space_at(u + i, n - i);
            if (w) {
                if (!space)
                    *o++ = ' ';
                space = true;
                i += w;
            } else {
                *o++ = (char)u[i++];
                space = false;
            }
        }
    }
    b->n = (size_t)(o - b->p);
    b->p[b->n] = '\0';
}

void ms_buf_trim(ms_buf *b)
{
    while (b->n && (b->p[b->n - 1] == ' ' || b->p[b->n - 1] == '\n'))
        b->p[--b->n] = '\0';
}

/* ---- lines -------------------------------------------------------------------- */

bool ms_line_next(const char *data, size_t len, size_t *pos, ms_line *ln)
{
    size_t p = *pos;
    if (p >= len)
        return false;
    const char *nl = memchr(data + p, '\n', len - p);
    size_t e = nl ? (size_t)(nl - data) : len;
    const unsigned char *u = (const unsigned char *)data;
    ln->raw = p;
    ln->next = nl ? e + 1 : len;
    size_t s = p, w;
    while (s < e && (w = ms_space_at(u + s, e - s)))
        s += w;
    while (e > s && (w = space_before(u + s, e - s)))
        e -= w;
    ln->start = s;
    ln->end = e;
    *pos = ln->next;
    return true;
}

/* ---- small text helpers ----------------------------------------------------------- */

/* ASCII white space, as a table: counting words looks up every byte. */
static const bool SPACE[256] = {
    [' '] = true, ['\t'] = true, ['\n'] = true, ['\v'] = true, ['\f'] = true, ['\r'] = true};

bool ms_is_space(unsigned char c)
{
    return SPACE[c];
}

bool ms_is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

size_t ms_count_words(const char *s, size_t n)
{
    return ms_count_words_upto(s, n, SIZE_MAX);
}

size_t ms_count_words_upto(const char *s, size_t n, size_t max)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t words = 0;
    for (size_t i = 0; i < n && words < max;) {
        if (SPACE[u[i]]) {
            i++;
            continue;
        }
        words++; /* and past the rest of it */
        while (++i < n && !SPACE[u[i]])
            ;
    }
    return words;
}

size_t ms_count_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xc0) != 0x80;
    return c;
}

/* Whether the UTF-8 sequence at s (n bytes left) is a letter or digit of
 * some script, as opposed to punctuation and symbols: U+0080-U+00BF (©, «,
 * ·) and U+2000-U+2BFF (dashes, quotes, bullets, arrows, box drawing) are
 * not. Invalid bytes count as letters: the analyzer decides about them. */
static bool utf8_is_letter(const unsigned char *s, size_t n)
{
    if (s[0] == 0xc2)
        return false;
    if (s[0] == 0xe2 && n >= 2 && s[1] >= 0x80 && s[1] <= 0xaf)
        return false;
    /* CJK punctuation U+3000-U+303F and full-width forms' punctuation. */
    if (s[0] == 0xe3 && n >= 2 && s[1] == 0x80)
        return false;
    if (s[0] == 0xef && n >= 2 && (s[1] == 0xbc || s[1] == 0xbd) && n >= 3 &&
        !((s[1] == 0xbc && s[2] >= 0x90 && s[2] <= 0x99) ||
          (s[1] == 0xbc && s[2] >= 0xa1 && s[2] <= 0xba) ||
          (s[1] == 0xbd && s[2] >= 0x81 && s[2] <= 0x9a)))
        return false;
    return true;
}

bool ms_has_word_char(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n; i++) {
        if (ms_is_alnum(u[i]))
            return true;
        if (u[i] >= 0xc0 && utf8_is_letter(u + i, n - i))
            return true;
        if (u[i] >= 0x80 && u[i] < 0xc0 && (i == 0 || u[i - 1] < 0x80))
            return true; /* a stray continuation byte: invalid, kept */
    }
    return false;
}

bool ms_ends_terminal(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    /* Closing quotes and brackets do not end anything themselves. */
    for (;;) {
        if (n && (u[n - 1] == ')' || u[n - 1] == ']' || u[n - 1] == '"' || u[n - 1] == '\'' ||
                  u[n - 1] == ' ')) {
            n--;
            continue;
        }
        if (n >= 3 && u[n - 3] == 0xe2 && u[n - 2] == 0x80 &&
            (u[n - 1] == 0x99 || u[n - 1] == 0x9d)) { /* ’ ” */
            n -= 3;
            continue;
        }
        if (n >= 2 && u[n - 2] == 0xc2 && u[n - 1] == 0xbb) { /* » */
            n -= 2;
            continue;
        }
        break;
    }
    if (n == 0)
        return false;
    unsigned char c = u[n - 1];
    if (c == '.' || c == '!' || c == '?' || c == ':' || c == ';')
        return true;
    if (n >= 3 && u[n - 3] == 0xe2 && u[n - 2] == 0x80 && u[n - 1] == 0xa6) /* … */
        return true;
    if (n >= 3 && u[n - 3] == 0xe3 && u[n - 2] == 0x80 && u[n - 1] == 0x82) /* 。 */
        return true;
    if (n >= 3 && u[n - 3] == 0xef && u[n - 2] == 0xbc &&
        (u[n - 1] == 0x81 || u[n - 1] == 0x9f || u[n - 1] == 0x9a)) /* ！？： */
        return true;
    return false;
}

bool ms_starts_lower(const char *s, size_t n)
{
    return n && s[0] >= 'a' && s[0] <= 'z';
}

bool ms_prefix_ci(const char *s, size_t n, const char *prefix)
{
    size_t i = 0;
    for (; prefix[i]; i++)
        if (i >= n || lower((unsigned char)s[i]) != lower((unsigned char)prefix[i]))
            return false;
    return true;
}

bool ms_equal_ci(const char *a, size_t an, const char *b, size_t bn)
{
    if (an != bn)
        return false;
    for (size_t i = 0; i < an; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return false;
    return true;
}

size_t ms_bullet_len(const char *s, size_t n)
{
    static const char *const glyphs[] = {
        "\xe2\x80\xa2", /* • */
        "\xc2\xb7",     /* · */
        "\xe2\x96\xaa", /* ▪ */
        "\xe2\x97\xa6", /* ◦ */
        "\xe2\x97\x8f", /* ● */
        "\xe2\x97\x8b", /* ○ */
        "\xe2\x96\xa0", /* ■ */
        "\xe2\x96\xba", /* ► */
        "\xe2\x96\xb8", /* ▸ */
        "\xe2\x9c\x93", /* ✓ */
        "\xe2\x9c\x94", /* ✔ */
        "\xe2\x80\xa3", /* ‣ */
        "\xe2\x81\x83", /* ⁃ */
    };
    size_t g = 0;
    bool need_space = true;
    if (n && (s[0] == '-' || s[0] == '*' || s[0] == '+')) {
        g = 1;
    } else if (n >= 3 && (unsigned char)s[0] == 0xe2 && (unsigned char)s[1] == 0x80 &&
               ((unsigned char)s[2] == 0x93 || (unsigned char)s[2] == 0x94)) {
        g = 3; /* – — */
    } else {
        for (size_t i = 0; i < sizeof glyphs / sizeof *glyphs; i++) {
            size_t gl = strlen(glyphs[i]);
            if (n >= gl && memcmp(s, glyphs[i], gl) == 0) {
                g = gl;
                need_space = false; /* "•item" is still an item */
                break;
            }
        }
    }
    if (!g)
        return 0;
    size_t i = g;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i == g && (need_space || i == n))
        return 0;
    if (i == n)
        return 0; /* a lone glyph is decoration, not an item */
    return i;
}

size_t ms_number_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && i < 3 && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == 0 || i >= n || (s[i] != '.' && s[i] != ')'))
        return 0;
    size_t j = i + 1;
    while (j < n && (s[j] == ' ' || s[j] == '\t'))
        j++;
    return j > i + 1 && j < n ? j : 0;
}

int ms_set_field(char **field, const char *s, size_t n, bool keep_old)
{
    if (keep_old && *field)
        return 0;
    const unsigned char *u = (const unsigned char *)s;
    size_t w;
    while (n && (w = ms_space_at(u, n))) {
        s += w;
        u += w;
        n -= w;
    }
    while (n && (w = space_before(u, n)))
        n -= w;
    if (n >= 2 && ((s[0] == '"' && s[n - 1] == '"') || (s[0] == '\'' && s[n - 1] == '\''))) {
        s++;
        n -= 2;
    }
    ms_buf b = {0};
    ms_buf_put_text(&b, s, n);
    ms_buf_trim(&b);
    if (b.oom)
        return -1;
    if (!b.n) {
        ms_buf_free(&b);
        return 0;
    }
    free(*field);
    *field = b.p;
    return 0;
}

/* How often each byte occurs in English text, per mille: letters of either
 * case, the space; digits, punctuation and UTF-8 bytes are rare (0). */
static const unsigned char BYTE_FREQ[256] = {
#define L(c, f) [c] = f, [c - 32] = f
    L('a', 82), L('b', 15), L('c', 28), L('d', 43), L('e', 127), L('f', 22),  L('g', 20),
    L('h', 61), L('i', 70), L('j', 2),  L('k', 8),  L('l', 40),  L('m', 24),  L('n', 67),
    L('o', 75), L('p', 19), L('q', 1),  L('r', 60), L('s', 63),  L('t', 91),  L('u', 28),
    L('v', 10), L('w', 24), L('x', 2),  L('y', 20), L('z', 1),   [' '] = 180,
#undef L
};

/* Case-insensitive search for a needle (ASCII letters fold). Every line of
 * an article is searched for a few phrases: memchr finds the candidates,
 * by the needle's rarest byte ("v" of "all rights reserved"), so that few
 * of them need a comparison. */
static const char *find_ci(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    if (k > n)
        return NULL;
    size_t j = 0;
    for (size_t i = 1, f = BYTE_FREQ[(unsigned char)needle[0]]; i < k; i++)
        if (BYTE_FREQ[(unsigned char)needle[i]] < f)
            f = BYTE_FREQ[(unsigned char)needle[j = i]];
    unsigned char lo = lower((unsigned char)needle[j]);
    unsigned char up = lo >= 'a' && lo <= 'z' ? (unsigned char)(lo - 32) : lo;
    /* where needle[j] of a match can be */
    const char *p = s + j, *end = s + n - k + 1 + j;
    while (p < end) {
        const char *a = memchr(p, lo, (size_t)(end - p));
        const char *b = up != lo ? memchr(p, up, (size_t)((a ? a : end) - p)) : NULL;
        const char *c = b ? b : a;
        if (!c)
            return NULL;
        if (ms_prefix_ci(c - j, n - (size_t)(c - j - s), needle))
            return c - j;
        p = c + 1;
    }
    return NULL;
}

/* Whether find_ci finds one of needles[0..k) in s. A line is checked for
 * a dozen phrases at once: one pass over it stops only at the bytes that
 * start one. */
static bool find_any_ci(const char *s, size_t n, const char *const *needles, size_t k)
{
    bool first[256] = {false};
    for (size_t i = 0; i < k; i++)
        first[lower((unsigned char)needles[i][0])] = true;
    for (size_t p = 0; p < n; p++) {
        unsigned char c = lower((unsigned char)s[p]);
        if (!first[c])
            continue;
        for (size_t i = 0; i < k; i++)
            if (lower((unsigned char)needles[i][0]) == c && ms_prefix_ci(s + p, n - p, needles[i]))
                return true;
    }
    return false;
}

/* ---- chrome rules ----------------------------------------------------------------- */

/* Longest line the phrase rules look at: chrome phrases are short, and a long
 * line is prose even when it mentions "cookies" or "consultation". */
#define NORM_MAX 400

/* Lower-cased copy of s with white space collapsed and the decoration that
 * navigation lines carry around their words (arrows, "»", ":", "...")
 * removed from both ends. Returns its length, or 0 when s is too long. */
static size_t norm_line(const char *s, size_t n, char *out)
{
    if (n >= NORM_MAX)
        return 0;
    ms_buf b = {.p = out, .cap = NORM_MAX + 1};
    out[0] = '\0';
    ms_buf_put_text(&b, s, n);
    size_t m = b.n;
    for (size_t i = 0; i < m; i++)
        out[i] = (char)lower((unsigned char)out[i]);
    /* each is tried at both ends of every short line, until none is left */
    static const struct {
        const char *s;
        size_t n;
    } deco[] = {
#define D(x) {x, sizeof x - 1}
        D(" "),
        D(":"),
        D("."),
        D("!"),
        D("|"),
        D(">"),
        D("<"),
        D("\xc2\xbb"),
        D("\xc2\xab"),
        D("\xe2\x80\xba"),
        D("\xe2\x80\xb9"),
        D("\xe2\x86\x92"),
        D("\xe2\x86\x90"),
        D("\xe2\x80\xa6"),
        D("\xe2\x9e\x9c"),
#undef D
    };
    size_t a = 0;
    for (bool more = true; more;) {
        more = false;
        for (size_t i = 0; i < sizeof deco / sizeof *deco; i++) {
            const char *t = deco[i].s;
            size_t k = deco[i].n;
            if (m - a >= k && out[m - k] == t[0] && memcmp(out + m - k, t, k) == 0) {
                m -= k;
                more = true;
            }
            if (m - a >= k && out[a] == t[0] && memcmp(out + a, t, k) == 0) {
                a += k;
                more = true;
            }
        }
    }
    memmove(out, out + a, m - a);
    out[m - a] = '\0';
    return m - a;
}

/* The word lists are short but asked about for every line: comparing the
 * first byte before calling strcmp skips nearly all of their entries. */
static bool in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i][0] == s[0] && strcmp(s, list[i]) == 0)
            return true;
    return false;
}

/* Whether s starts with one of list[0..n). */
static bool starts_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i][0] == s[0] && strncmp(s, list[i], strlen(list[i])) == 0)
            return true;
    return false;
}

/* Headings after which a page lists other pages. */
static const char *const TAIL_PHRASES[] = {
    "related articles",
    "related posts",
    "related stories",
    "related content",
    "related reading",
    "related pages",
    "related topics",
    "related links",
    "our other articles",
    "other articles",
    "more articles",
    "more stories",
    "more posts",
    "you may also like",
    "you might also like",
    "you may also be interested in",
    "recommended articles",
    "recommended reading",
    "recommended for you",
    "popular articles",
    "popular posts",
    "most popular",
    "most read",
    "latest articles",
    "latest posts",
    "read next",
    "read also",
    "see also",
    "more on this topic",
};

/* Lines that are navigation or widgets whatever page they are on. */
static const char *const CHROME_PHRASES[] = {
    "view all",
    "see all",
    "show all",
    "read more",
    "more",
    "learn more",
    "see more",
    "show more",
    "load more",
    "continue reading",
    "read full article",
    "read the full article",
    "share",
    "share this",
    "share this article",
    "share this page",
    "print",
    "print this page",
    "email",
    "e-mail",
    "back to top",
    "top",
    "next",
    "previous",
    "prev",
    "next article",
    "previous article",
    "advertisement",
    "advertisements",
    "sponsored",
    "sponsored content",
    "skip to content",
    "skip to main content",
    "skip navigation",
    "menu",
    "main menu",
    "search",
    "home",
    "subscribe",
    "sign up",
    "log in",
    "login",
    "sign in",
    "register",
    "table of contents",
    "contents",
    "in this article",
    "on this page",
    "jump to",
    "tags",
    "categories",
    "comments",
    "leave a comment",
    "leave a reply",
    "post a comment",
    "was this article helpful",
    "was this page helpful",
    "was this helpful",
    "feedback",
    "close",
    "cookie settings",
    "accept",
    "accept all",
    "privacy policy",
    "terms of use",
    "terms and conditions",
    "cookie policy",
    "contact us",
    "about us",
    "sitemap",
    "click to enlarge",
    "enlarge image",
    "zoom",
    "go to top",
    "scroll to top",
    "follow us",
};

/* Line starts that mark bylines, credits and widgets wherever they are. */
static const char *const CHROME_PREFIXES[] = {
    "last updated",
    "last reviewed",
    "last modified",
    "updated:",
    "updated on ",
    "reviewed by",
    "medically reviewed",
    "fact checked",
    "fact-checked",
    "published:",
    "published on ",
    "posted on ",
    "posted by ",
    "posted in ",
    "filed under",
    "written by ",
    "tags:",
    "categories:",
    "category:",
    "share on ",
    "share this ",
    "follow us on",
    "image:",
    "photo:",
    "image credit",
    "photo credit",
    "image source",
    "credit:",
    "print this",
    "email this",
    "skip to ",
};

/* Starts of link texts: chrome as a short line of their own, but "Read more
 * about DASH at www.nhlbi.nih.gov." is a sentence of the article. */
static const char *const LINK_PREFIXES[] = {
    "read more", "read also", "see also:", "click here", "continue reading", "learn more about"};

static const char *const SOCIAL_WORDS[] = {
    "facebook", "twitter",  "x",     "instagram", "linkedin",  "pinterest", "youtube",
    "whatsapp", "telegram", "email", "e-mail",    "print",     "share",     "reddit",
    "tumblr",   "vk",       "copy",  "link",      "messenger", "viber",
};

/* Every word of the line is the name of a social network or a share action. */
static bool is_share_bar(const char *norm)
{
    char word[32];
    size_t words = 0;
    for (const char *p = norm; *p;) {
        while (*p == ' ' || *p == ',' || *p == '|' || *p == '/')
            p++;
        if (!*p)
            break;
        size_t k = 0;
        while (p[k] && p[k] != ' ' && p[k] != ',' && p[k] != '|' && p[k] != '/')
            k++;
        if (k >= sizeof word)
            return false;
        memcpy(word, p, k);
        word[k] = '\0';
        if (!in_list(word, SOCIAL_WORDS, sizeof SOCIAL_WORDS / sizeof *SOCIAL_WORDS))
            return false;
        words++;
        p += k;
    }
    return words >= 2;
}

/* "Home > Skin diseases > Eczema": two or more short parts joined by an
 * arrow-like separator (three or more for "|", which also joins menu
 * items), none starting with a digit ("BP > 140/90" is prose). " / " is
 * not one: "Nausea / Vomiting / Diarrhea" is a list of symptoms. */
static bool is_breadcrumb(const char *s, size_t n)
{
    if (!memchr(s, '>', n) && !memchr(s, '|', n) && !memchr(s, 0xc2, n) && !memchr(s, 0xe2, n))
        return false;
    static const char *const seps[] = {" > ", " \xc2\xbb ", " \xe2\x80\xba ", " \xe2\x86\x92 ",
                                       " | "};
    for (size_t k = 0; k < sizeof seps / sizeof *seps; k++) {
        const char *sep = seps[k];
        size_t sl = strlen(sep);
        size_t parts = 1;
        bool ok = true;
        size_t a = 0;
        for (size_t i = 0; i <= n && ok; i++) {
            bool at_sep = i + sl <= n && memcmp(s + i, sep, sl) == 0;
            if (!at_sep && i < n)
                continue;
            const char *p = s + a;
            size_t pn = i - a;
            if (pn == 0 || pn > 80 || ms_count_words(p, pn) > 8 || (p[0] >= '0' && p[0] <= '9') ||
                (pn && (p[pn - 1] == '.' || p[pn - 1] == ',' || p[pn - 1] == ';')))
                ok = false;
            if (at_sep) {
                parts++;
                i += sl - 1;
                a = i + 1;
            }
        }
        size_t need = sep[1] == '|' ? 3 : 2;
        if (ok && parts >= need)
            return true;
    }
    return false;
}

/* A line that is nothing but phone numbers, perhaps after a label. */
static bool is_phone(const char *s, size_t n)
{
    static const char *const labels[] = {"tel", "tel.", "phone",  "telephone", "fax",
                                         "mob", "mob.", "mobile", "call",      "hotline",
                                         "t",   "p",    "m",      "ph",        "ph."};
    size_t i = 0;
    while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
        i++;
    if (i > 0) {
        char lab[16];
        size_t k = i < n && s[i] == '.' ? i + 1 : i;
        if (k >= sizeof lab)
            return false;
        for (size_t j = 0; j < k; j++)
            lab[j] = (char)lower((unsigned char)s[j]);
        lab[k] = '\0';
        if (!in_list(lab, labels, sizeof labels / sizeof *labels))
            return false;
        i = k;
        if (i < n && s[i] == ':')
            i++;
        while (i < n && s[i] == ' ')
            i++;
    }
    if (i >= n || !((s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '('))
        return false;
    size_t digits = 0, marks = 0;
    for (; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9')
            digits++;
        else if (!c || !strchr(" +()-./,;", c))
            return false;
        else
            marks++;
    }
    /* a bare run of digits is a number of some other kind */
    return digits >= 7 && digits <= 30 && marks;
}

static bool is_email_line(const char *s, size_t n, size_t words)
{
    if (words > 6)
        return false;
    const char *at = memchr(s, '@', n);
    if (!at || at == s || !ms_is_alnum((unsigned char)at[-1]))
        return false;
    size_t rest = n - (size_t)(at - s);
    const char *dot = memchr(at, '.', rest);
    return dot && dot > at + 1 && (size_t)(dot - s) + 1 < n && ms_is_alnum((unsigned char)dot[1]);
}

/* A short line with a house number, a comma and a street word
 * ("12 Baker St., London", "Fabijoniskiu g. 99, Vilnius") or a postal code
 * ("LT-08432", "MD 20892"). */
static bool is_address(const char *norm, size_t n, size_t words)
{
    static const char *const streets[] = {
        "st",     "st.",   "street", "ave",     "ave.",          "avenue",
        "rd",     "rd.",   "road",   "blvd",    "blvd.",         "boulevard",
        "lane",   "ln.",   "drive",  "hwy",     "highway",       "suite",
        "ste.",   "floor", "g.",     "gatve",   "gatv\xc4\x97",  "pr.",
        "al.",    "ul.",   "str.",   "strasse", "stra\303\237e", /* straße (octal: "\x9fe" would be
                                                                    one escape) */
        "rue",    "via",   "calle",  "avenida", "plaza",         "sq.",
        "square", "box",
    };
    if (n == 0 || n > 100 || words > 10 || norm[n - 1] == '.')
        return false;
    if (!memchr(norm, ',', n) || !strpbrk(norm, "0123456789"))
        return false;
    char word[24];
    for (size_t i = 0; i < n;) {
        while (i < n && norm[i] == ' ')
            i++;
        size_t k = 0;
        while (i + k < n && norm[i + k] != ' ')
            k++;
        size_t wl = k;
        while (wl && norm[i + wl - 1] == ',')
            wl--;
        if (wl && wl < sizeof word) {
            memcpy(word, norm + i, wl);
            word[wl] = '\0';
            if (in_list(word, streets, sizeof streets / sizeof *streets))
                return true;
            /* postal codes with a country prefix: "lt-08432" */
            if (wl >= 6 && wl <= 10 && word[0] >= 'a' && word[1] >= 'a' && word[2] == '-' &&
                strspn(word + 3, "0123456789") == wl - 3)
                return true;
        }
        i += k;
    }
    return false;
}

/* "9:00-18:00", "8.00 – 20.00", or a line that announces opening hours. */
static bool is_hours(const char *norm, size_t n, size_t words)
{
    static const char *const heads[] = {"opening hours",  "working hours", "office hours",
                                        "business hours", "hours:",        "open:"};
    if (words > 12)
        return false;
    if (starts_list(norm, heads, sizeof heads / sizeof *heads))
        return true;
    for (size_t i = 0; i < n; i++) {
        /* h[h][:.]mm */
        size_t j = i, d = 0;
        while (j < n && norm[j] >= '0' && norm[j] <= '9' && d < 3)
            j++, d++;
        if (d < 1 || d > 2 || j + 2 >= n || (norm[j] != ':' && norm[j] != '.') ||
            !(norm[j + 1] >= '0' && norm[j + 1] <= '9'))
            continue;
        j += 3;
        while (j < n && norm[j] == ' ')
            j++;
        bool dash = false;
        if (j < n && norm[j] == '-')
            j++, dash = true;
        else if (j + 2 < n && (unsigned char)norm[j] == 0xe2 &&
                 (unsigned char)norm[j + 1] == 0x80 &&
                 ((unsigned char)norm[j + 2] == 0x93 || (unsigned char)norm[j + 2] == 0x94))
            j += 3, dash = true;
        while (j < n && norm[j] == ' ')
            j++;
        if (dash && j < n && norm[j] >= '0' && norm[j] <= '9')
            return true;
    }
    return false;
}

/* Calls to buy. Some words are commercial wherever they stand ("Subscribe
 * to our newsletter"); others ("consultation", "appointment") are also the
 * words of honest advice, so they count only on an exclamation or a short
 * banner that urges ("Dermatologist consultation online"). */
static bool is_advert(const char *s, size_t n, size_t words, bool bang)
{
    static const char *const strong[] = {"sign up",    "subscribe", "newsletter", "book now",
                                         "order now",  "buy now",   "shop now",   "free trial",
                                         "promo code", "coupon",    "discount"};
    static const char *const weak[] = {"consultation", "appointment", "call us", "contact us"};
    static const char *const urgent[] = {"online", "now",   "today", "free",
                                         "book",   "order", "24/7",  "call"};
    if (!bang && words > 8)
        return false;
    if (find_any_ci(s, n, strong, sizeof strong / sizeof *strong))
        return true;
    return find_any_ci(s, n, weak, sizeof weak / sizeof *weak) &&
           (bang || (words <= 6 && find_any_ci(s, n, urgent, sizeof urgent / sizeof *urgent)));
}

/* Past this many words a line is prose, and only the rules that fit
 * sentences apply to it: chrome lines are short, and the phrase rules
 * would cost a normalised copy of every paragraph. */
#define PROSE_WORDS 15

/* Rules for lines of any length: copyright notices, cookie banners and
 * exclamatory adverts. */
static ms_chrome sentence_chrome(const char *s, size_t n, size_t words, bool bang)
{
    if (ms_prefix_ci(s, n, "\xc2\xa9") || ms_prefix_ci(s, n, "(c) ") ||
        ms_prefix_ci(s, n, "copyright") || find_ci(s, n, "all rights reserved"))
        return MS_CHROME_LINE;
    if (find_ci(s, n, "cookie") &&
        (find_ci(s, n, "we use") || find_ci(s, n, "this site") || find_ci(s, n, "this website") ||
         find_ci(s, n, "accept") || find_ci(s, n, "consent")))
        return MS_CHROME_LINE;
    if (is_advert(s, n, words, bang))
        return MS_CHROME_ADVERT;
    return MS_CHROME_NO;
}

ms_chrome ms_chrome_line(const char *s, size_t n)
{
    /* prose is all the rules need to know of a long line */
    size_t words = ms_count_words_upto(s, n, PROSE_WORDS + 1);
    bool bang = n && s[n - 1] == '!';
    if (words > PROSE_WORDS || n >= NORM_MAX)
        return sentence_chrome(s, n, words, bang);
    char norm[NORM_MAX + 1];
    size_t m = norm_line(s, n, norm);
    if (m == 0)
        return MS_CHROME_NO; /* decoration only: ms_doc_add drops it */
    if (in_list(norm, TAIL_PHRASES, sizeof TAIL_PHRASES / sizeof *TAIL_PHRASES))
        return MS_CHROME_TAIL;
    if (in_list(norm, CHROME_PHRASES, sizeof CHROME_PHRASES / sizeof *CHROME_PHRASES))
        return MS_CHROME_LINE;
    if (starts_list(norm, CHROME_PREFIXES, sizeof CHROME_PREFIXES / sizeof *CHROME_PREFIXES))
        return MS_CHROME_LINE;
    if (words <= 6 && s[n - 1] != '.' &&
        starts_list(norm, LINK_PREFIXES, sizeof LINK_PREFIXES / sizeof *LINK_PREFIXES))
        return MS_CHROME_LINE;
    if (is_share_bar(norm) || is_breadcrumb(s, n))
        return MS_CHROME_LINE;
    if (is_phone(s, n) || is_email_line(s, n, words) || is_address(norm, m, words) ||
        is_hours(norm, m, words))
        return MS_CHROME_CONTACT;
    return sentence_chrome(s, n, words, bang);
}

/* A footer line: short, and not a sentence. */
static bool short_label(const char *s, size_t n)
{
    return ms_count_words_upto(s, n, 9) <= 8 && !(n && s[n - 1] == '.');
}

void ms_chrome_mark(ms_unit *u, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += u[i].n;
    size_t before = 0, cut = n;
    /* the current gap-separated group of lines, for the footer rule */
    size_t group = 0;
    bool all_short = true, contact = false;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || u[i].gap_before) {
            if (i > group && all_short && contact)
                for (size_t j = group; j < i; j++)
                    u[j].drop = true;
            group = i;
            all_short = true;
            contact = false;
        }
        if (i == n)
            break;
        ms_chrome k = ms_chrome_line(u[i].s, u[i].n);
        all_short = all_short && short_label(u[i].s, u[i].n);
        contact = contact || k == MS_CHROME_CONTACT;
        if (k != MS_CHROME_NO)
            u[i].drop = true;
        /* A teaser heading only ends the article in the second half of the
         * page: earlier it is a widget among the content. */
        if (k == MS_CHROME_TAIL && cut == n && total - before - u[i].n <= before)
            cut = i;
        if (k == MS_CHROME_ADVERT || k == MS_CHROME_TAIL)
            for (size_t j = i;
                 j > 0 && !u[j].gap_before && u[j - 1].n && u[j - 1].s[u[j - 1].n - 1] == '!'; j--)
                u[j - 1].drop = true;
        before += u[i].n;
    }
    for (size_t i = cut; i < n; i++)
        u[i].drop = true;
}

/* ---- bylines ---------------------------------------------------------------------- */

static const char *const MONTHS[] = {
    "jan",   "feb",  "mar",  "apr",    "may",       "jun",     "jul",      "aug",
    "sep",   "sept", "oct",  "nov",    "dec",       "january", "february", "march",
    "april", "june", "july", "august", "september", "october", "november", "december",
};

/* Digits at s[i..n). */
static size_t digits_at(const char *s, size_t i, size_t n)
{
    size_t k = 0;
    while (i + k < n && s[i + k] >= '0' && s[i + k] <= '9')
        k++;
    return k;
}

/* Whether s holds a date: a month name next to a number, or 2025-11-28,
 * 28.11.2025, 11/28/25. */
static bool has_date(const char *s, size_t n)
{
    bool month = false, number = false;
    for (size_t i = 0; i < n;) {
        while (i < n && !ms_is_alnum((unsigned char)s[i]))
            i++;
        size_t k = 0;
        while (i + k < n && ms_is_alnum((unsigned char)s[i + k]))
            k++;
        if (!k)
            break;
        char w[12];
        if (k < sizeof w) {
            for (size_t j = 0; j < k; j++)
                w[j] = (char)lower((unsigned char)s[i + j]);
            w[k] = '\0';
            if (in_list(w, MONTHS, sizeof MONTHS / sizeof *MONTHS))
                month = true;
            else if (strspn(w, "0123456789") == k && k <= 4)
                number = true;
        }
        /* numeric dates: digits, separator, digits, same separator, digits */
        if (digits_at(s, i, n) == k && i + k < n &&
            (s[i + k] == '-' || s[i + k] == '.' || s[i + k] == '/')) {
            char sep = s[i + k];
            size_t j = i + k + 1, d2 = digits_at(s, j, n);
            if (d2 >= 1 && d2 <= 4 && j + d2 < n && s[j + d2] == sep) {
                size_t d3 = digits_at(s, j + d2 + 1, n);
                if (d3 >= 2 && d3 <= 4 && (k == 4 || d3 == 4 || d3 == 2))
                    return true;
            }
        }
        i += k;
    }
    return month && number;
}

static bool is_upper_start(const char *s, size_t n)
{
    return n && ((s[0] >= 'A' && s[0] <= 'Z') || (unsigned char)s[0] >= 0xc0);
}

/* Trim s to the text after a prefix of k bytes and any ':' or space. */
static void skip_prefix(const char **s, size_t *n, size_t k)
{
    *s += k;
    *n -= k;
    while (*n && (**s == ' ' || **s == ':' || **s == '-'))
        (*s)++, (*n)--;
}

int ms_byline(ms_article *a, const char *s, size_t n)
{
    if (n == 0 || n > 160 || ms_count_words(s, n) > 14)
        return 0;
    const char *src = find_ci(s, n, "source:");
    if (src) {
        size_t before = (size_t)(src - s);
        const char *v = src + 7;
        size_t vn = n - before - 7;
        if (ms_set_field(&a->source, v, vn, true))
            return -1;
        if (before && has_date(s, before) && ms_set_field(&a->date, s, before, true))
            return -1;
        return 1;
    }
    static const char *const date_heads[] = {
        "published on", "published:", "published",        "last updated on", "last updated:",
        "last updated", "updated on", "updated:",         "updated",         "posted on",
        "posted:",      "date:",      "last reviewed on", "last reviewed:",  "last reviewed",
    };
    for (size_t i = 0; i < sizeof date_heads / sizeof *date_heads; i++) {
        if (ms_prefix_ci(s, n, date_heads[i])) {
            const char *v = s;
            size_t vn = n;
            skip_prefix(&v, &vn, strlen(date_heads[i]));
            if (!has_date(v, vn))
                return 0;
            return ms_set_field(&a->date, v, vn, true) ? -1 : 1;
        }
    }
    static const char *const quiet_heads[] = {"reviewed by ", "medically reviewed", "fact checked",
                                              "fact-checked"};
    for (size_t i = 0; i < sizeof quiet_heads / sizeof *quiet_heads; i++)
        if (ms_prefix_ci(s, n, quiet_heads[i]))
            return 1;
    static const char *const author_heads[] = {"written by ", "authors:", "author:", "by "};
    for (size_t i = 0; i < sizeof author_heads / sizeof *author_heads; i++) {
        if (ms_prefix_ci(s, n, author_heads[i])) {
            const char *v = s;
            size_t vn = n;
            skip_prefix(&v, &vn, strlen(author_heads[i]));
            /* "By Jane Doe | May 5, 2025": the name, then maybe a date */
            static const char *const cuts[] = {" | ", " \xc2\xb7 ", " on ", " - "};
            size_t name = vn, cut = 0;
            for (size_t c = 0; c < sizeof cuts / sizeof *cuts; c++) {
                const char *p = find_ci(v, name, cuts[c]);
                if (p) {
                    name = (size_t)(p - v);
                    cut = strlen(cuts[c]);
                }
            }
            if (!is_upper_start(v, vn) || ms_count_words(v, name) > 6 || name == 0 ||
                (name < vn && !has_date(v + name, vn - name)) || v[name - 1] == '.')
                return 0;
            if (ms_set_field(&a->author, v, name, true))
                return -1;
            if (name < vn && ms_set_field(&a->date, v + name + cut, vn - name - cut, true))
                return -1;
            return 1;
        }
    }
    static const char *const titles[] = {"dr. ", "dr ", "prof. ", "professor ", "doctor "};
    size_t words = ms_count_words(s, n);
    bool plain = !ms_ends_terminal(s, n) || s[n - 1] == '.';
    for (size_t i = 0; i < sizeof titles / sizeof *titles; i++)
        if (ms_prefix_ci(s, n, titles[i]) && words >= 2 && words <= 5 && plain &&
            is_upper_start(s + strlen(titles[i]), n - strlen(titles[i])) && !memchr(s, ':', n))
            return ms_set_field(&a->author, s, n, true) ? -1 : 1;
    static const char *const degrees[] = {", md", ", m.d.", ", phd", ", ph.d.", ", rn",
                                          ", do", ", mph",  ", dnp", ", np",    ", pharmd"};
    for (size_t i = 0; i < sizeof degrees / sizeof *degrees; i++)
        if (words <= 7 && find_ci(s, n, degrees[i]) && is_upper_start(s, n))
            return ms_set_field(&a->author, s, n, true) ? -1 : 1;
    if (words <= 6 && has_date(s, n) && !ms_ends_terminal(s, n))
        return ms_set_field(&a->date, s, n, true) ? -1 : 1;
    return 0;
}

/* ---- the document ----------------------------------------------------------------- */

void ms_doc_drop(ms_doc *d, size_t n)
{
    d->a->boiler_lines++;
    d->a->boiler_bytes += n;
}

bool ms_doc_repeated(const ms_doc *d, const char *s, size_t n)
{
    const ms_article_opts *o = d->opts;
    return o && o->boiler && ms_boilerplate_is_repeated(o->boiler, o->site ? o->site : "", s, n);
}

int ms_doc_add(ms_doc *d, ms_blk_kind kind, ms_buf *buf, size_t start, size_t end, bool exact)
{
    ms_buf_trim(buf);
    if (buf->oom)
        return -1;
    if (!buf->n || !ms_has_word_char(buf->p, buf->n)) {
        if (buf->n)
            ms_doc_drop(d, buf->n);
        buf->n = 0;
        if (buf->p)
            buf->p[0] = '\0';
        return 0;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 32;
        ms_block *b = realloc(d->b, cap * sizeof *b);
        if (!b)
            return -1;
        d->b = b;
        d->cap = cap;
    }
    ms_block *b = &d->b[d->n++];
    b->kind = kind;
    b->exact = exact;
    b->text = buf->p;
    b->len = buf->n;
    b->start = start;
    b->end = end;
    b->sec = MS_SEC_AUTO;
    b->repeated = false;
    memset(buf, 0, sizeof *buf);
    return 0;
}

void ms_doc_mark_repeated(ms_doc *d, size_t before, const char *s, size_t n)
{
    if (d->n > before && ms_doc_repeated(d, s, n))
        d->b[d->n - 1].repeated = true;
}

/* Drop the blocks the site repeats, except where that would empty a section
 * whose own heading is not repeated: a site that shares whole passages
 * between its articles (standard paragraphs on clinical trials under "What
 * research is being done for colon cancer?") shares content, not chrome.
 * Without a heading, or under a heading the site repeats too ("Consult a
 * dermatologist online"), repeated blocks are chrome. */
static void drop_repeated(ms_doc *d)
{
    size_t k = 0;
    for (size_t i = 0; i < d->n;) {
        size_t z = i + (d->b[i].kind == MS_BLK_HEADING);
        bool all = z > i && !d->b[i].repeated;
        for (; z < d->n && d->b[z].kind != MS_BLK_HEADING; z++)
            all = all && d->b[z].repeated;
        if (z == i + 1)
            all = false; /* a heading alone: nothing to keep */
        for (; i < z; i++) {
            ms_block *b = &d->b[i];
            if (b->repeated && b->kind != MS_BLK_HEADING && !all) {
                ms_doc_drop(d, b->len);
                free(b->text);
            } else {
                d->b[k++] = *b;
            }
        }
    }
    d->n = k;
}

void ms_doc_free_blocks(ms_doc *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->b[i].text);
    free(d->b);
    d->b = NULL;
    d->n = d->cap = 0;
}

void ms_doc_drop_chrome(ms_doc *d, bool bylines)
{
    if (!d->n)
        return;
    /* Bylines sit between the title and the first paragraph of prose. */
    bool *gone = calloc(d->n, sizeof *gone);
    ms_unit *u = calloc(d->n, sizeof *u);
    if (!gone || !u) {
        /* Without scratch memory the page is kept whole: chrome in an
         * index is a nuisance, a failed parse of a good page is worse. */
        free(gone);
        free(u);
        return;
    }
    for (size_t i = 0; bylines && i < d->n && i < 8; i++) {
        ms_block *b = &d->b[i];
        if (b->kind == MS_BLK_PARA && ms_count_words(b->text, b->len) >= 8 &&
            ms_ends_terminal(b->text, b->len))
            break;
        if (b->kind != MS_BLK_HEADING && ms_byline(d->a, b->text, b->len) == 1)
            gone[i] = true;
    }
    for (size_t i = 0; i < d->n; i++) {
        u[i].s = d->b[i].text;
        u[i].n = d->b[i].len;
        /* Blocks are lines of their own; only a heading separates groups. */
        u[i].gap_before =
            i == 0 || d->b[i].kind == MS_BLK_HEADING || d->b[i - 1].kind == MS_BLK_HEADING;
    }
    ms_chrome_mark(u, d->n);
    size_t k = 0;
    for (size_t i = 0; i < d->n; i++) {
        ms_block *b = &d->b[i];
        if (gone[i] || u[i].drop) {
            ms_doc_drop(d, b->len);
            free(b->text);
        } else {
            d->b[k++] = *b;
        }
    }
    d->n = k;
    free(gone);
    free(u);
}

/* ---- locating words in the source ------------------------------------------------- */

#define LOC_WINDOW 16384

typedef struct locator {
    const char *data;
    size_t len;
    size_t cur;    /* words are searched from here */
    size_t floor;  /* where the previous passage ended */
    size_t s, e;   /* span found so far; s == SIZE_MAX: nothing yet */
    size_t budget; /* bytes left for searches past the window */
    /* the first word found (unless an exact block came first) and where
     * the next one was found, to pull the start forward (locate_start) */
    const char *first;
    size_t first_n, second;
    unsigned first_edges;
} locator;

/* Start a passage: nothing found yet, nothing before the previous end. */
static void locate_reset(locator *L)
{
    L->s = L->second = SIZE_MAX;
    L->e = 0;
    L->first = NULL;
    L->floor = L->cur;
}

/* How a word must sit in the source: as a whole ASCII word (ASCII_WORD),
 * unless the text was cut inside a word, which then may go on to the left
 * (OPEN_LEFT) or right (OPEN_RIGHT). */
enum { ASCII_WORD = 1, OPEN_LEFT = 2, OPEN_RIGHT = 4 };

static bool word_at(const locator *L, size_t at, const char *w, size_t wn, unsigned edges)
{
    const char *d = L->data;
    if (d[at] != w[0] || memcmp(d + at, w, wn) != 0)
        return false;
    if (!(edges & ASCII_WORD))
        return true;
    return (edges & OPEN_LEFT || at == 0 || !ms_is_alnum((unsigned char)d[at - 1])) &&
           (edges & OPEN_RIGHT || at + wn >= L->len || !ms_is_alnum((unsigned char)d[at + wn]));
}

/* First occurrence of w in data[from, to). */
static size_t find_word(const locator *L, size_t from, size_t to, const char *w, size_t wn,
                        unsigned edges)
{
    while (from < to && to - from >= wn) {
        const char *p = memchr(L->data + from, w[0], to - from - wn + 1);
        if (!p)
            return SIZE_MAX;
        size_t at = (size_t)(p - L->data);
        if (word_at(L, at, w, wn, edges))
            return at;
        from = at + 1;
    }
    return SIZE_MAX;
}

/* Last occurrence of w in data[from, to). */
static size_t find_word_last(const locator *L, size_t from, size_t to, const char *w, size_t wn,
                             unsigned edges)
{
    for (size_t at = to - wn + 1; to - from >= wn && at-- > from;)
        if (word_at(L, at, w, wn, edges))
            return at;
    return SIZE_MAX;
}

/* The first word was found at its first occurrence after the previous
 * passage, which may be in a menu before the text ("Acne" in the nav, then
 * "Acne happens when..."): its last occurrence before the second word is
 * as good for the invariant and tighter. */
static size_t locate_start(const locator *L)
{
    if (!L->first || L->second == SIZE_MAX)
        return L->s;
    size_t at = find_word_last(L, L->s, L->second, L->first, L->first_n, L->first_edges);
    return at == SIZE_MAX ? L->s : at;
}

/* Find the words of t, in order, in data[max(cur, lo), hi) and widen the
 * span. Words are runs of ASCII letters and digits, or runs of other
 * letters (the pieces "caf" and "é" of "café" are found even when the
 * page wrote "caf&eacute;" and only "caf" is there). cut: t was cut from a
 * longer text, perhaps inside a word at either end. */
static void locate_text(locator *L, const char *t, size_t tn, size_t lo, size_t hi, bool cut)
{
    const unsigned char *u = (const unsigned char *)t;
    if (L->cur < lo)
        L->cur = lo;
    for (size_t i = 0; i < tn && L->cur < hi;) {
        bool ascii = ms_is_alnum(u[i]);
        if (!ascii && u[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = i;
        bool letter = ascii;
        if (ascii) {
            while (k < tn && ms_is_alnum(u[k]))
                k++;
        } else {
            while (k < tn && u[k] >= 0x80) {
                letter = letter || (u[k] >= 0xc0 && utf8_is_letter(u + k, tn - k));
                k++;
            }
        }
        if (!letter) {
            i = k; /* dashes and quotes: often entities in the source */
            continue;
        }
        size_t wn = k - i;
        unsigned edges = (ascii ? ASCII_WORD : 0) | (cut && i == 0 ? OPEN_LEFT : 0) |
                         (cut && k == tn ? OPEN_RIGHT : 0);
        size_t lim = hi - L->cur > LOC_WINDOW ? L->cur + LOC_WINDOW : hi;
        size_t at = find_word(L, L->cur, lim, t + i, wn, edges);
        if (at == SIZE_MAX && lim < hi && L->budget >= hi - lim) {
            L->budget -= hi - lim;
            at = find_word(L, lim > L->cur + wn ? lim - wn : L->cur, hi, t + i, wn, edges);
        }
        if (at != SIZE_MAX) {
            if (L->s == SIZE_MAX) {
                L->s = at;
                L->first = t + i;
                L->first_n = wn;
                L->first_edges = edges;
            } else if (L->second == SIZE_MAX) {
                L->second = at;
            }
            L->e = at + wn;
            L->cur = at + wn;
        }
        i = k;
    }
}

static void locate_block(locator *L, const char *t, size_t tn, const ms_block *b)
{
    if (b->exact) {
        if (L->s == SIZE_MAX)
            L->s = b->start;
        else if (L->second == SIZE_MAX)
            L->second = b->start;
        L->e = b->end;
        L->cur = b->end;
    } else {
        locate_text(L, t, tn, b->start, b->end, false);
    }
}

/* ---- passages --------------------------------------------------------------------- */

/* A piece of a block's text: the whole block, or a part of a long one. */
typedef struct piece {
    const ms_block *b;
    size_t off, n;
} piece;

typedef struct builder {
    ms_doc *d;
    piece *p;
    size_t np, cap;
    size_t max;
    locator L;
    size_t line_pos; /* line numbers are counted incrementally */
    unsigned line_no;
    size_t pcap; /* passages allocated in d->a */
} builder;

static int add_piece(builder *B, const ms_block *b, size_t off, size_t n)
{
    const char *t = b->text + off;
    while (n && t[0] == ' ') /* pieces start after the space they were cut at */
        t++, off++, n--;
    while (n && (t[n - 1] == ' ' || t[n - 1] == '\n'))
        n--;
    if (!n)
        return 0;
    if (B->np == B->cap) {
        size_t cap = B->cap ? B->cap * 2 : 64;
        piece *p = realloc(B->p, cap * sizeof *p);
        if (!p)
            return -1;
        B->p = p;
        B->cap = cap;
    }
    B->p[B->np++] = (piece){b, off, n};
    return 0;
}

/* Where to end the first piece of t (n > max bytes): at the sentence end
 * closest after an even share of the text, else the last sentence end, else
 * the last space before max, else at max on a character boundary. */
static size_t cut_at(const char *t, size_t n, size_t max)
{
    size_t parts = (n + max - 1) / max;
    size_t target = n / parts;
    size_t last_sentence = 0, last_space = 0;
    for (size_t i = 1; i < n && i <= max; i++) {
        if (t[i] != ' ' && t[i] != '\n')
            continue;
        last_space = i;
        if (t[i] == '\n' || ms_ends_terminal(t, i)) {
            if (i >= target)
                return i;
            last_sentence = i;
        }
    }
    if (last_sentence >= max / 4)
        return last_sentence;
    if (last_space >= max / 4)
        return last_space;
    size_t c = max;
    while (c > 1 && ((unsigned char)t[c] & 0xc0) == 0x80)
        c--;
    return c;
}

static int split_block(builder *B, const ms_block *b)
{
    size_t off = 0;
    while (b->len - off > B->max) {
        size_t c = cut_at(b->text + off, b->len - off, B->max);
        if (add_piece(B, b, off, c))
            return -1;
        off += c;
    }
    return add_piece(B, b, off, b->len - off);
}

static unsigned line_of(builder *B, size_t pos)
{
    const char *d = B->d->data;
    while (B->line_pos < pos) {
        const char *nl = memchr(d + B->line_pos, '\n', pos - B->line_pos);
        if (!nl) {
            B->line_pos = pos;
            break;
        }
        B->line_no++;
        B->line_pos = (size_t)(nl - d) + 1;
    }
    return B->line_no;
}

static int push_passage(builder *B, const char *section, ms_buf *text, size_t fallback_lo)
{
    ms_article *a = B->d->a;
    locator *L = &B->L;
    size_t s = locate_start(L), e = L->e;
    if (s == SIZE_MAX) /* no word found: all entity-encoded, say */
        s = L->cur > fallback_lo ? L->cur : fallback_lo;
    /* Words that are not in the source as written (joined by markup that
     * went, "Ec<b>zema</b>") can send the search too far; whatever it
     * found, spans stay in order and not empty. */
    if (s < L->floor)
        s = L->floor;
    if (s >= B->d->len) {
        ms_doc_drop(B->d, text->n);
        ms_buf_free(text);
        return 0;
    }
    if (e <= s)
        e = s + 1;
    L->cur = e;
    if (a->n_passages == B->pcap) {
        size_t cap = B->pcap ? B->pcap * 2 : 16;
        ms_passage *p = realloc(a->passages, cap * sizeof *p);
        if (!p)
            return -1;
        a->passages = p;
        B->pcap = cap;
    }
    char *sec = strdup(section);
    if (!sec)
        return -1;
    ms_passage *p = &a->passages[a->n_passages++];
    p->section = sec;
    p->start = s;
    p->end = e;
    p->line = line_of(B, s);
    p->text = text->p;
    p->text_len = text->n;
    memset(text, 0, sizeof *text);
    return 0;
}

/* Emit pieces [a, z) of one section as passages; head is the heading block
 * when the first passage starts right after it. */
static int emit_run(builder *B, const ms_block *head, size_t a, size_t z, const char *section)
{
    size_t total = 0; /* bytes of the text of pieces [a, z) */
    for (size_t i = a; i < z; i++)
        total += B->p[i].n + (i > a);
    while (a < z) {
        size_t parts = (total + B->max - 1) / B->max;
        size_t target = total / (parts ? parts : 1);
        size_t cur = 0, i = a;
        for (; i < z; i++) {
            size_t add = B->p[i].n + (cur > 0);
            if (cur > 0 && (cur + add > B->max || cur >= target))
                break;
            cur += add;
        }
        ms_buf text = {0};
        locate_reset(&B->L);
        if (head)
            locate_block(&B->L, head->text, head->len, head);
        for (size_t j = a; j < i; j++) {
            const piece *p = &B->p[j];
            if (j > a)
                ms_buf_putc(&text, '\n');
            ms_buf_put(&text, p->b->text + p->off, p->n);
            bool whole = p->off == 0 && p->n == p->b->len;
            if (whole)
                locate_block(&B->L, p->b->text, p->b->len, p->b);
            else
                locate_text(&B->L, p->b->text + p->off, p->n, p->b->start, p->b->end, true);
        }
        if (text.oom)
            return -1;
        int rc = push_passage(B, section, &text, B->p[a].b->start);
        ms_buf_free(&text);
        if (rc)
            return -1;
        head = NULL;
        total -= i < z ? cur + 1 : cur;
        a = i;
    }
    return 0;
}

static int title_passage(builder *B)
{
    ms_doc *d = B->d;
    ms_buf text = {0};
    ms_buf_put(&text, d->a->title, strlen(d->a->title));
    if (text.oom)
        return -1;
    locate_reset(&B->L);
    if (d->title_exact) {
        B->L.s = d->title_start;
        B->L.e = d->title_end;
    } else {
        locate_text(&B->L, text.p, text.n, d->title_start, d->len, false);
    }
    int rc = push_passage(B, "", &text, d->body);
    ms_buf_free(&text);
    return rc;
}

int ms_doc_finish(ms_doc *d)
{
    builder B = {.d = d, .line_pos = 0, .line_no = 1};
    B.max =
        d->opts && d->opts->passage_max_bytes ? d->opts->passage_max_bytes : MS_PASSAGE_MAX_DEFAULT;
    if (B.max < MS_PASSAGE_MAX_MIN)
        B.max = MS_PASSAGE_MAX_MIN;
    B.L = (locator){
        .data = d->data, .len = d->len, .cur = d->body, .budget = 4 * d->len + (1u << 20)};
    drop_repeated(d);
    int rc = 0;
    size_t heading = MS_SEC_NONE;
    for (size_t i = 0; i < d->n && !rc;) {
        ms_block *b = &d->b[i];
        if (b->kind == MS_BLK_HEADING) {
            heading = i++;
            continue;
        }
        size_t sec = b->sec == MS_SEC_AUTO ? heading : b->sec;
        /* The run: body blocks of the same section, up to the next heading. */
        size_t z = i;
        B.np = 0;
        while (z < d->n && d->b[z].kind != MS_BLK_HEADING &&
               (d->b[z].sec == MS_SEC_AUTO ? heading : d->b[z].sec) == sec) {
            if ((rc = split_block(&B, &d->b[z])))
                break;
            z++;
        }
        if (rc)
            break;
        const ms_block *head = sec != MS_SEC_NONE && sec + 1 == i ? &d->b[sec] : NULL;
        const char *section = sec == MS_SEC_NONE ? "" : d->b[sec].text;
        rc = emit_run(&B, head, 0, B.np, section);
        i = z;
    }
    if (!rc && d->a->n_passages == 0 && d->a->title && d->a->title[0])
        rc = title_passage(&B);
    free(B.p);
    return rc;
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
    free(a->author);
    free(a->description);
    free(a->also_called);
    free(a->tags);
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
    size_t body = len >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf ? 3 : 0;
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
    if (!rc)
        rc = ms_doc_finish(&d);
    ms_doc_free_blocks(&d);
    if (!rc && !out->title && !(out->title = strdup("")))
        rc = -1;
    if (rc) {
        ms_article_free(out);
        return ms_fail(err, MS_ENOMEM, "out of memory");
    }
    return 0;
}
