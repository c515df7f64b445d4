/*
 * charset.c - the character set a saved web page declares.
 *
 * Three places say it, all near the top of the file: an XML declaration
 * (<?xml version="1.0" encoding="iso-8859-1"?>), <meta charset="...">, and
 * <meta http-equiv="Content-Type" content="text/html; charset=...">. The
 * head is scanned as bytes, as a browser's pre-scan does, before any
 * parser sees the page: whatever it declares, the name is ASCII. The page
 * is then decoded here, with iconv, rather than by libxml2, which stops
 * reading at the first byte the charset does not define (0x81 in
 * windows-1252) and would lose the rest of the page without a word.
 */
#include "article/charset.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "article/textutil.h"

/* Browsers find the declaration within the first 1024 bytes; saved pages
 * put scripts and styles before it, so a little more is read. */
#define CHARSET_SCAN 8192

static bool name_char(unsigned char c)
{
    return ms_is_alnum(c) || c == '-' || c == '_' || c == '.' || c == ':';
}

/* The name after s[i..n) once spaces, '=' and a quote are skipped. */
static size_t value_at(const char *s, size_t n, size_t i, size_t *len)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    if (i >= n || s[i] != '=')
        return n;
    i++;
    while (i < n && (s[i] == ' ' || s[i] == '"' || s[i] == '\''))
        i++;
    size_t k = 0;
    while (i + k < n && name_char((unsigned char)s[i + k]))
        k++;
    *len = k;
    return k ? i : n;
}

/* The declared name: the XML declaration's encoding, else the first
 * "charset=" of a tag. */
static const char *declared(const char *s, size_t n, size_t *len)
{
    if (n > 5 && memcmp(s, "<?xml", 5) == 0) {
        const char *end = memchr(s, '>', n);
        size_t dn = end ? (size_t)(end - s) : n;
        const char *enc = ms_find_ci(s, dn, "encoding");
        if (enc) {
            size_t at = value_at(s, dn, (size_t)(enc - s) + 8, len);
            if (at < dn)
                return s + at;
        }
    }
    for (size_t from = 0; from < n;) {
        const char *cs = ms_find_ci(s + from, n - from, "charset");
        if (!cs)
            return NULL;
        size_t i = (size_t)(cs - s) + 7;
        size_t at = value_at(s, n, i, len);
        if (at < n)
            return s + at;
        from = i;
    }
    return NULL;
}

bool ms_html_charset(const char *s, size_t n, char *name, size_t cap)
{
    size_t len = 0;
    const char *v = declared(s, n < CHARSET_SCAN ? n : CHARSET_SCAN, &len);
    if (!v || ms_equal_ci(v, len, "utf-8", 5) || ms_equal_ci(v, len, "utf8", 4) ||
        ms_equal_ci(v, len, "us-ascii", 8) || ms_equal_ci(v, len, "ascii", 5) ||
        ms_prefix_ci(v, len, "utf-16") || ms_prefix_ci(v, len, "utf-32"))
        return false; /* a page of ASCII bytes that says UTF-16 is not */
    static const char *const latin1[] = {"iso-8859-1", "iso8859-1",  "latin1",
                                         "l1",         "iso_8859-1", "cp819"};
    for (size_t i = 0; i < sizeof latin1 / sizeof *latin1; i++)
        if (ms_equal_ci(v, len, latin1[i], strlen(latin1[i]))) {
            v = "windows-1252";
            len = strlen(v);
            break;
        }
    if (len >= cap)
        return false;
    memcpy(name, v, len);
    name[len] = '\0';
    return true;
}

/* Room for at least 16 more bytes after w in *out (cap *cap): the buffer
 * doubles when it is nearly full or force; NULL (and freed) without memory. */
static char *room(char *out, size_t *cap, size_t w, bool force)
{
    if (!force && *cap - w >= 16)
        return out;
    char *more = realloc(out, *cap * 2);
    if (!more)
        free(out);
    *cap *= 2;
    return more;
}

char *ms_charset_decode(const char *charset, const char *s, size_t n, size_t *out_n)
{
    iconv_t cv = iconv_open("UTF-8", charset);
    if (cv == (iconv_t)-1)
        return NULL;
    size_t cap = n * 2 + 16, w = 0, inl = n;
    char *out = malloc(cap), *in = (char *)s;
    for (bool done = false; out && !done;) {
        char *o = out + w;
        size_t ol = cap - w;
        /* the input, then the return to the initial shift state */
        bool flush = inl == 0;
        size_t r = flush ? iconv(cv, NULL, NULL, &o, &ol) : iconv(cv, &in, &inl, &o, &ol);
        w = (size_t)(o - out);
        if (r != (size_t)-1) {
            done = flush;
        } else if (errno == E2BIG) {
            out = room(out, &cap, w, true);
        } else { /* a byte the charset does not define, or cut off at the end */
            memcpy(out + w, "\xef\xbf\xbd", 3);
            w += 3;
            in++;
            inl--;
            iconv(cv, NULL, NULL, NULL, NULL);
        }
        if (out)
            out = room(out, &cap, w, false);
    }
    iconv_close(cv);
    if (out)
        *out_n = w;
    return out;
}
