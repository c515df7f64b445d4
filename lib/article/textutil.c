/*
 * textutil.c - the text helpers every part of the article reader shares.
 *
 * The parsers, the chrome rules, the bylines and the passage builder all
 * look at the same raw bytes the same way: what counts as white space
 * (ASCII, and the Unicode spaces pasted web text is full of), how a line is
 * trimmed, what a word, a bullet, a list number or the end of a sentence
 * is, how text is cleaned into readable running text. Each of those
 * definitions lives here once, so that a line is judged alike whichever
 * file asks. Text is gathered in base/util.h's ms_sbuf; what is written
 * here keeps it NUL-terminated, since blocks and fields are C strings.
 */
#include "article/textutil.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- running text ------------------------------------------------------------ */

/* Bytes of the white-space character at s[0..n), or 0: ASCII white space
 * and control characters, and the Unicode spaces that pasted web text is
 * full of (no-break, en/em/thin, zero-width, ideographic, a stray BOM). */
static size_t space_at(const unsigned char *s, size_t n)
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
        return space_at(s + n - 1, 1);
    if (n >= 2 && space_at(s + n - 2, 2) == 2)
        return 2;
    if (n >= 3 && space_at(s + n - 3, 3) == 3)
        return 3;
    return 0;
}

void ms_text_put(ms_sbuf *b, const char *s, size_t n)
{
    /* Cleaning never makes text longer, so one reservation does. */
    ms_sb_room(b, n);
    const unsigned char *u = (const unsigned char *)s;
    char *o = b->p + b->n;
    bool space = b->n == 0 || b->p[b->n - 1] == ' ' || b->p[b->n - 1] == '\n';
    for (size_t i = 0; i < n;) {
        if (u[i] > ' ' && u[i] < 0x7f) { /* printable ASCII, most of the text */
            *o++ = (char)u[i++];
            space = false;
            continue;
        }
        size_t w = space_at(u + i, n - i);
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
    b->n = (size_t)(o - b->p);
    b->p[b->n] = '\0';
}

void ms_text_trim(ms_sbuf *b)
{
    while (b->n && (b->p[b->n - 1] == ' ' || b->p[b->n - 1] == '\n'))
        b->n--;
    if (b->p)
        b->p[b->n] = '\0';
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
    while (s < e && (w = space_at(u + s, e - s)))
        s += w;
    while (e > s && (w = space_before(u + s, e - s)))
        e -= w;
    ln->start = s;
    ln->end = e;
    *pos = ln->next;
    return true;
}

/* ---- small text helpers ----------------------------------------------------------- */

size_t ms_count_words(const char *s, size_t n)
{
    return ms_count_words_upto(s, n, SIZE_MAX);
}

size_t ms_count_words_upto(const char *s, size_t n, size_t max)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t words = 0;
    for (size_t i = 0; i < n && words < max;) {
        if (ms_is_space(u[i])) {
            i++;
            continue;
        }
        words++; /* and past the rest of it */
        while (++i < n && !ms_is_space(u[i]))
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
bool ms_utf8_is_letter(const unsigned char *s, size_t n)
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
        if (u[i] >= 0xc0 && ms_utf8_is_letter(u + i, n - i))
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
        if (i >= n || ms_lower((unsigned char)s[i]) != ms_lower((unsigned char)prefix[i]))
            return false;
    return true;
}

bool ms_equal_ci(const char *a, size_t an, const char *b, size_t bn)
{
    if (an != bn)
        return false;
    for (size_t i = 0; i < an; i++)
        if (ms_lower((unsigned char)a[i]) != ms_lower((unsigned char)b[i]))
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

void ms_set_field(char **field, const char *s, size_t n, bool keep_old)
{
    if (keep_old && *field)
        return;
    const unsigned char *u = (const unsigned char *)s;
    size_t w;
    while (n && (w = space_at(u, n))) {
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
    ms_sbuf b = {0};
    ms_text_put(&b, s, n);
    ms_text_trim(&b);
    if (!b.n) {
        free(b.p);
        return;
    }
    free(*field);
    *field = b.p;
}

const char *ms_find_ci(const char *s, size_t n, const char *needle)
{
    /* memchr finds where the needle's first letter stands, in either case;
       only there is the rest compared */
    size_t k = strlen(needle);
    unsigned char lo = ms_lower((unsigned char)needle[0]);
    unsigned char up = lo >= 'a' && lo <= 'z' ? (unsigned char)(lo - 32) : lo;
    const char *end = s + n;
    for (const char *p = s; (size_t)(end - p) >= k; p++) {
        const char *a = memchr(p, lo, (size_t)(end - p));
        const char *b = up != lo ? memchr(p, up, (size_t)((a ? a : end) - p)) : NULL;
        p = b ? b : a;
        if (!p || (size_t)(end - p) < k)
            return NULL;
        if (ms_prefix_ci(p, (size_t)(end - p), needle))
            return p;
    }
    return NULL;
}
