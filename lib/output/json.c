/*
 * output/json.c - results as JSON Lines: one object a result, with every
 * field of its passage record, its snippet and highlights, and one more
 * object a query for its facets.
 *
 * Strings and reals are encoded by jansson, never escaped by hand; but a
 * result line is laid out here rather than built as a json_t tree (see
 * struct line), and its first bytes, the same for all of a query's lines,
 * are encoded once.
 */
#include "output/json.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* Write o as one line of compact JSON. Dumped to memory and written with
 * one fwrite: json_dumpf writes piece by piece, a locked stdio call each. */
static void dump_line(const json_t *o, FILE *f)
{
    char buf[8192];
    size_t n = json_dumpb(o, buf, sizeof buf - 1, JSON_COMPACT);
    if (n > 0 && n < sizeof buf - 1) {
        buf[n] = '\n';
        fwrite(buf, 1, n + 1, f);
    } else {
        json_dumpf(o, f, JSON_COMPACT);
        fputc('\n', f);
    }
}

/* A result line is laid out here, its strings and its score encoded by
 * jansson: building a json_t tree per line and dumping it cost a quarter of
 * a batch's time (jansson checks every array and object for cycles,
 * formatting its address and hashing it, and allocates every key), and a
 * line is always the same flat shape. */
typedef struct line {
    ms_sbuf b;
    json_t *str, *real; /* reused for every value */
} line;

static void put(line *l, const char *s, size_t n)
{
    ms_sb_put(&l->b, s, n);
}

static int put_cb(const char *s, size_t n, void *data)
{
    put(data, s, n);
    return 0;
}

/* "key": before a value, after a comma unless it opens an object */
static void put_key(line *l, const char *key)
{
    size_t kl = strlen(key);
    char *p = ms_sb_room(&l->b, kl + 4), *at = p;
    if (p[-1] != '{')
        *p++ = ',';
    *p++ = '"';
    memcpy(p, key, kl);
    p += kl;
    *p++ = '"';
    *p++ = ':';
    l->b.n += (size_t)(p - at);
}

/* Whether jansson would write v[0..len), checked UTF-8, as it is between
 * quotes: it holds no quote, back slash or control character. */
static int plain(const char *v, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c < 0x20 || c == '"' || c == '\\')
            return 0;
    }
    return 1;
}

/* A string value: checked is whether v was checked as UTF-8 already (the
 * record's strings were when it was read). A string that needs no escape
 * is copied between quotes; any other is encoded by jansson, which writes
 * invalid UTF-8 as null, as json_string would give. */
static void put_strn(line *l, const char *key, const char *v, size_t len, int checked)
{
    if (!v)
        return;
    put_key(l, key);
    if (checked && plain(v, len)) {
        put(l, "\"", 1);
        put(l, v, len);
        put(l, "\"", 1);
    } else if ((checked ? json_string_setn_nocheck(l->str, v, len)
                        : json_string_setn(l->str, v, len)) < 0) {
        put(l, "null", 4);
    } else {
        json_dump_callback(l->str, put_cb, l, JSON_COMPACT | JSON_ENCODE_ANY);
    }
}

static void put_str(line *l, const char *key, const char *v, int checked)
{
    if (v)
        put_strn(l, key, v, strlen(v), checked);
}

static void put_uint(line *l, unsigned long long v)
{
    char d[24];
    size_t i = sizeof d;
    do
        d[--i] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    put(l, d + i, sizeof d - i);
}

static void put_int(line *l, const char *key, long long v)
{
    put_key(l, key);
    if (v < 0) {
        put(l, "-", 1);
        put_uint(l, 0ull - (unsigned long long)v);
    } else {
        put_uint(l, (unsigned long long)v);
    }
}

static void put_real(line *l, const char *key, double v)
{
    put_key(l, key);
    if (json_real_set(l->real, v) < 0)
        put(l, "null", 4); /* (not a finite number) */
    else
        json_dump_callback(l->real, put_cb, l, JSON_COMPACT | JSON_ENCODE_ANY);
}

typedef struct json_writer {
    ms_writer w;
    line l;
    size_t head; /* the bytes of l that start every line of a query */
} json_writer;

/* every line of a query starts the same: encoded once */
static void json_begin(ms_writer *w, const ms_write_info *q, const ms_results *r)
{
    (void)r;
    line *l = &((json_writer *)w)->l;
    if (!l->str)
        l->str = json_string("");
    if (!l->real)
        l->real = json_real(0);
    if (!l->str || !l->real) {
        fputs("medsearch: out of memory\n", stderr);
        abort();
    }
    l->b.n = 0;
    put(l, "{", 1);
    put_int(l, "v", MS_JSON_VERSION);
    put_str(l, "qid", q->qid, 0);
    ((json_writer *)w)->head = l->b.n;
}

static void json_result(ms_writer *w, const ms_write_info *q, const ms_results *r, size_t i)
{
    line *l = &((json_writer *)w)->l;
    const ms_hit *h = &r->hits[i];
    const ms_rec *rec = &h->rec;
    l->b.n = ((json_writer *)w)->head;
    put_int(l, "rank", h->rank);
    put_real(l, "score", h->score);
    put_str(l, "path", rec->path, 1);
    put_str(l, "article", rec->article, 1);
    put_str(l, "title", rec->title, 1);
    put_str(l, "section", rec->section, 1);
    put_int(l, "start", rec->start);
    put_int(l, "end", rec->end);
    put_int(l, "line", rec->line);
    put_str(l, "source", rec->source, 1);
    put_str(l, "url", rec->url, 1);
    put_str(l, "date", rec->date, 1);
    put_str(l, "date_text", rec->date_text, 1);
    put_str(l, "author", rec->author, 1);
    /* cut from the record's text at token boundaries: checked as well */
    put_strn(l, "snippet", h->snippet, h->snippet_len, 1);
    if (w->full)
        put_strn(l, "text", rec->text, rec->text_len, 1);
    put_key(l, "highlights");
    put(l, "[", 1);
    for (size_t k = 0; k < h->n_hl; k++) {
        put(l, k ? ",[" : "[", k ? 2 : 1);
        put_uint(l, h->hl[k].start);
        put(l, ",", 1);
        put_uint(l, h->hl[k].end);
        put(l, "]", 1);
    }
    put(l, "]", 1);
    put_key(l, "entities");
    put(l, "[", 1);
    for (size_t k = 0; k < rec->n_ents; k++) {
        put(l, k ? ",{" : "{", k ? 2 : 1);
        put_str(l, "type", ms_entkind_name(rec->ents[k].kind), 1);
        put_str(l, "name", rec->ents[k].name, 1);
        put(l, "}", 1);
    }
    put(l, "]", 1);
    put_str(l, "did_you_mean", r->info.did_you_mean, 0);
    put_str(l, "partial", q->partial, 0);
    if (q->time_ms >= 0)
        put_real(l, "time_ms", q->time_ms);
    put(l, "}\n", 2);
    fwrite(l->b.p, 1, l->b.n, w->f);
}

/* -l: the file's rank and path */
static void json_file(ms_writer *w, const ms_write_info *q, const ms_results *r, size_t i)
{
    (void)q;
    line *l = &((json_writer *)w)->l;
    l->b.n = ((json_writer *)w)->head;
    put_int(l, "rank", r->hits[i].rank);
    put_str(l, "path", r->hits[i].rec.path, 1);
    put(l, "}\n", 2);
    fwrite(l->b.p, 1, l->b.n, w->f);
}

/* the query's summary: how many passages match, and whether exactly */
static void json_count(ms_writer *w, const ms_write_info *q, const ms_results *r)
{
    json_t *o = json_pack("{s:i,s:s,s:I,s:b}", "v", MS_JSON_VERSION, "qid", q->qid, "matches",
                          (json_int_t)r->estimated, "exact", r->exact);
    dump_line(o, w->f);
    json_decref(o);
}

static void json_facets(ms_writer *w, const ms_write_info *q, const ms_results *r)
{
    json_t *o = json_object(), *fa = json_object();
    json_object_set_new(o, "v", json_integer(MS_JSON_VERSION));
    json_object_set_new(o, "qid", json_string(q->qid));
    for (size_t i = 0; i < r->n_facets; i++) {
        const char *k = ms_entkind_name(r->facets[i].kind);
        json_t *arr = json_object_get(fa, k);
        if (!arr) {
            arr = json_array();
            json_object_set_new(fa, k, arr);
        }
        json_array_append_new(arr, json_pack("{s:s,s:i}", "name", r->facets[i].name, "count",
                                             (int)r->facets[i].count));
    }
    json_object_set_new(o, "facets", fa);
    dump_line(o, w->f);
    json_decref(o);
}

static void json_free(ms_writer *w)
{
    line *l = &((json_writer *)w)->l;
    free(l->b.p);
    json_decref(l->str);
    json_decref(l->real);
}

const ms_writer_ops ms_json_writer = {
    .size = sizeof(json_writer),
    .shows_time = 1,
    .begin = json_begin,
    .result = json_result,
    .facets = json_facets,
    .count = json_count,
    .file = json_file,
    .free = json_free,
};
