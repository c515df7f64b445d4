/*
 * record.c - the passage record's binary form (layout in record.h).
 */
#include "medsearch/record.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "util.h"

#define REC_FORMAT 1
#define N_STRINGS 8

static void put(char **buf, size_t *len, size_t *cap, const void *p, size_t n)
{
    if (*len + n > *cap) {
        *cap = (*len + n) * 2 + 64;
        *buf = xrealloc(*buf, *cap);
    }
    memcpy(*buf + *len, p, n);
    *len += n;
}

static void put_num(char **buf, size_t *len, size_t *cap, unsigned long long v)
{
    unsigned char b[10];
    size_t n = 0;
    do {
        b[n] = (unsigned char)(v & 0x7f);
        v >>= 7;
        b[n] |= v ? 0x80 : 0;
        n++;
    } while (v);
    put(buf, len, cap, b, n);
}

/* Bytes of s[0..n) before the first one that is not ASCII, tested 8 at a
 * time. */
static size_t ascii_len(const char *s, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        if (x & 0x8080808080808080u)
            break;
    }
    while (i < n && !((unsigned char)s[i] & 0x80))
        i++;
    return i;
}

/* s[0..n) as valid UTF-8: NULL when it is already, else a copy of *cl
 * bytes where each invalid byte became U+FFFD. Passage text is mostly
 * ASCII, valid as it is: u8_check only reads from the first other byte. */
static char *utf8_clean(const char *s, size_t n, size_t *cl)
{
    size_t a = ascii_len(s, n);
    if (!u8_check((const uint8_t *)s + a, n - a))
        return NULL;
    char *c = xrealloc(NULL, n * 3 + 1);
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        ucs4_t uc;
        int l = u8_mbtoucr(&uc, (const uint8_t *)s + i, n - i);
        if (l > 0) {
            memcpy(c + w, s + i, (size_t)l);
            w += (size_t)l;
            i += (size_t)l;
        } else {
            memcpy(c + w, "\xEF\xBF\xBD", 3);
            w += 3;
            i++;
        }
    }
    *cl = w;
    return c;
}

/* s[0..n) as valid UTF-8, with its length first if counted. */
static void put_text(char **buf, size_t *len, size_t *cap, const char *s, size_t n, int counted)
{
    size_t cl = n;
    char *c = utf8_clean(s, n, &cl);
    if (counted)
        put_num(buf, len, cap, (unsigned long long)cl + 1);
    put(buf, len, cap, c ? c : s, cl);
    free(c);
}

static void put_str(char **buf, size_t *len, size_t *cap, const char *s)
{
    if (s)
        put_text(buf, len, cap, s, strlen(s), 1);
    else
        put_num(buf, len, cap, 0);
}

void ms_rec_encode(const ms_rec *r, char **buf, size_t *len, size_t *cap)
{
    unsigned char f = REC_FORMAT;
    put(buf, len, cap, &f, 1);
    put_num(buf, len, cap, (unsigned long long)r->start);
    put_num(buf, len, cap, (unsigned long long)r->end);
    put_num(buf, len, cap, (unsigned long long)r->line);
    const char *const s[N_STRINGS] = {r->path,   r->article, r->title, r->section,
                                      r->source, r->url,     r->date,  r->author};
    for (int i = 0; i < N_STRINGS; i++)
        put_str(buf, len, cap, s[i]);
    put_num(buf, len, cap, r->n_ents);
    for (size_t i = 0; i < r->n_ents; i++) {
        unsigned char k = (unsigned char)r->ents[i].kind;
        put(buf, len, cap, &k, 1);
        put_str(buf, len, cap, r->ents[i].name);
    }
    put_text(buf, len, cap, r->text, r->text_len, 0);
}

/* A reading position in the encoded bytes. */
typedef struct rd {
    const unsigned char *p, *end;
} rd;

static int get_num(rd *d, unsigned long long *v)
{
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (d->p == d->end)
            return -1;
        unsigned char b = *d->p++;
        *v |= (unsigned long long)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return 0;
    }
    return -1;
}

/* A span of n - 1 bytes announced by a number n (0: absent, *s NULL). */
static int get_span(rd *d, const unsigned char **s, size_t *n)
{
    unsigned long long v;
    if (get_num(d, &v) < 0 || v > (unsigned long long)(d->end - d->p) + 1)
        return -1;
    *s = v ? d->p : NULL;
    *n = v ? (size_t)v - 1 : 0;
    d->p += *n;
    return *s && u8_check(*s, *n) ? -1 : 0;
}

/* Copy n bytes of s to *w as a NUL-terminated string. */
static const char *copy(char **w, const unsigned char *s, size_t n)
{
    char *out = *w;
    memcpy(out, s, n);
    out[n] = '\0';
    *w += n + 1;
    return out;
}

int ms_rec_decode(const char *data, size_t len, ms_rec *r)
{
    memset(r, 0, sizeof *r);
    rd d = {(const unsigned char *)data, (const unsigned char *)data + len};
    unsigned long long num[3], n_ents;
    const unsigned char *s[N_STRINGS];
    size_t sl[N_STRINGS];
    if (len == 0 || *d.p++ != REC_FORMAT)
        return -1;
    for (int i = 0; i < 3; i++)
        if (get_num(&d, &num[i]) < 0 || num[i] > INT64_MAX)
            return -1;
    for (int i = 0; i < N_STRINGS; i++)
        if (get_span(&d, &s[i], &sl[i]) < 0 || (i < 4 && !s[i]))
            return -1;
    /* each entity takes at least two bytes */
    if (get_num(&d, &n_ents) < 0 || n_ents > (unsigned long long)(d.end - d.p) / 2)
        return -1;
    /* one block: the entities, then every string with its NUL */
    size_t ents_size = (size_t)n_ents * sizeof(ms_rec_entity);
    char *mem = xrealloc(NULL, ents_size + len + (size_t)n_ents + N_STRINGS + 1);
    ms_rec_entity *ents = (ms_rec_entity *)(void *)mem;
    char *w = mem + ents_size;
    const char **field[N_STRINGS] = {&r->path,   &r->article, &r->title, &r->section,
                                     &r->source, &r->url,     &r->date,  &r->author};
    for (int i = 0; i < N_STRINGS; i++)
        *field[i] = s[i] ? copy(&w, s[i], sl[i]) : NULL;
    for (size_t i = 0; i < n_ents; i++) {
        const unsigned char *name;
        size_t nl;
        if (d.p == d.end || *d.p > MS_ENT_CONDITION)
            goto fail;
        ents[i].kind = (ms_entkind)*d.p++;
        if (get_span(&d, &name, &nl) < 0 || !name)
            goto fail;
        ents[i].name = copy(&w, name, nl);
    }
    size_t tl = (size_t)(d.end - d.p);
    if (u8_check(d.p, tl))
        goto fail;
    r->text = copy(&w, d.p, tl);
    r->text_len = tl;
    r->start = (long long)num[0];
    r->end = (long long)num[1];
    r->line = (long long)num[2];
    r->ents = ents;
    r->n_ents = (size_t)n_ents;
    r->mem = mem;
    return 0;
fail:
    free(mem);
    memset(r, 0, sizeof *r);
    return -1;
}

void ms_rec_free(ms_rec *r)
{
    free(r->mem);
    memset(r, 0, sizeof *r);
}
