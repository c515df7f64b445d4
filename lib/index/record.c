/*
 * record.c - the passage record's binary form (layout in record.h).
 *
 * The indexer encodes one record per passage and every reader decodes one
 * per result it prints, so the form is compact and read in one pass: LEB128
 * numbers and length-prefixed strings, all copied into one block on
 * decoding. Every string is valid UTF-8 both ways: the encoder replaces
 * invalid bytes, and the decoder refuses a record that has any, so that a
 * damaged index never puts invalid bytes into the output.
 */
#include "index/record.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "base/util.h"

#define REC_FORMAT 1
#define N_STRINGS 9

static void put_num(ms_sbuf *b, unsigned long long v)
{
    unsigned char d[10];
    size_t n = 0;
    do {
        d[n] = (unsigned char)(v & 0x7f);
        v >>= 7;
        d[n] |= v ? 0x80 : 0;
        n++;
    } while (v);
    ms_sb_put(b, (const char *)d, n);
}

/* Whether s[0..n) is valid UTF-8. Mostly ASCII: that part is passed over
 * eight bytes at a time, and libunistring checks the rest. */
static int valid_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0;
    for (uint64_t w; i + 8 <= n; i += 8) {
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ull)
            break;
    }
    return u8_check(s + i, n - i) == NULL;
}

/* s[0..n) as valid UTF-8: NULL when it is already, else a copy of *cl
 * bytes where each invalid byte became U+FFFD. */
static char *utf8_clean(const char *s, size_t n, size_t *cl)
{
    if (valid_utf8((const unsigned char *)s, n))
        return NULL;
    char *c = ms_xrealloc(NULL, n * 3 + 1);
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
static void put_text(ms_sbuf *b, const char *s, size_t n, int counted)
{
    size_t cl = n;
    char *c = utf8_clean(s, n, &cl);
    if (counted)
        put_num(b, (unsigned long long)cl + 1);
    ms_sb_put(b, c ? c : s, cl);
    free(c);
}

static void put_str(ms_sbuf *b, const char *s)
{
    if (s)
        put_text(b, s, strlen(s), 1);
    else
        put_num(b, 0);
}

void ms_rec_encode(const ms_rec *r, char **buf, size_t *len, size_t *cap)
{
    ms_sbuf b = {*buf, *len, *cap};
    char f = REC_FORMAT;
    ms_sb_put(&b, &f, 1);
    put_num(&b, (unsigned long long)r->start);
    put_num(&b, (unsigned long long)r->end);
    put_num(&b, (unsigned long long)r->line);
    const char *const s[N_STRINGS] = {r->path, r->article, r->title,  r->section,  r->source,
                                      r->url,  r->date,    r->author, r->date_text};
    for (int i = 0; i < N_STRINGS; i++)
        put_str(&b, s[i]);
    put_num(&b, r->n_ents);
    put_num(&b, r->n_mentions);
    for (size_t i = 0; i < r->n_ents; i++) {
        char k = (char)r->ents[i].kind;
        ms_sb_put(&b, &k, 1);
        put_str(&b, r->ents[i].name);
    }
    for (size_t i = 0; i < r->n_mentions; i++) {
        const ms_rec_mention *m = &r->mentions[i];
        put_num(&b, m->ent);
        put_num(&b, m->first);
        put_num(&b, m->end - m->first);
    }
    put_text(&b, r->text, r->text_len, 0);
    *buf = b.p;
    *len = b.n;
    *cap = b.cap;
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
    return *s && !valid_utf8(*s, *n) ? -1 : 0;
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
    unsigned long long num[3], n_ents, n_men;
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
    /* each entity takes at least two bytes, each mention three */
    if (get_num(&d, &n_ents) < 0 || get_num(&d, &n_men) < 0 ||
        n_ents > (unsigned long long)(d.end - d.p) / 2 ||
        n_men > ((unsigned long long)(d.end - d.p) - 2 * n_ents) / 3)
        return -1;
    /* one block: the entities, the mentions, then every string with its NUL */
    size_t ents_size = (size_t)n_ents * sizeof(ms_rec_entity);
    size_t men_size = (size_t)n_men * sizeof(ms_rec_mention);
    char *mem = ms_xrealloc(NULL, ents_size + men_size + len + (size_t)n_ents + N_STRINGS + 1);
    ms_rec_entity *ents = (ms_rec_entity *)(void *)mem;
    ms_rec_mention *men = (ms_rec_mention *)(void *)(mem + ents_size);
    char *w = mem + ents_size + men_size;
    const char **field[N_STRINGS] = {&r->path, &r->article, &r->title,  &r->section,  &r->source,
                                     &r->url,  &r->date,    &r->author, &r->date_text};
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
    for (size_t i = 0; i < n_men; i++) {
        unsigned long long v[3];
        for (int k = 0; k < 3; k++)
            if (get_num(&d, &v[k]) < 0)
                goto fail;
        if (v[0] >= n_ents || v[1] > UINT32_MAX || v[2] == 0 || v[2] > UINT32_MAX - v[1])
            goto fail;
        men[i] = (ms_rec_mention){(uint32_t)v[0], (uint32_t)v[1], (uint32_t)(v[1] + v[2])};
    }
    size_t tl = (size_t)(d.end - d.p);
    if (!valid_utf8(d.p, tl))
        goto fail;
    r->text = copy(&w, d.p, tl);
    r->text_len = tl;
    r->start = (long long)num[0];
    r->end = (long long)num[1];
    r->line = (long long)num[2];
    r->ents = ents;
    r->n_ents = (size_t)n_ents;
    r->mentions = men;
    r->n_mentions = (size_t)n_men;
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
