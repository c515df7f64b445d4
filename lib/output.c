/*
 * output.c - the four result formats.
 */
#include "medsearch/output.h"

#include <jansson.h>
#include <string.h>

int ms_outfmt_from_name(const char *name)
{
    static const char *const names[] = {"text", "json", "tsv", "trec"};
    for (int i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

/* Write s for a TSV field: tabs and line breaks become spaces. */
static void tsv_field(FILE *f, const char *s)
{
    for (; *s; s++)
        fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

static void write_text(ms_writer *w, const ms_results *r)
{
    FILE *f = w->f;
    const char *bold = w->color ? "\033[1m" : "", *off = w->color ? "\033[0m" : "";
    const char *dim = w->color ? "\033[2m" : "";
    for (size_t i = 0; i < r->n; i++) {
        const ms_hit *h = &r->hits[i];
        const char *section = h->rec.section;
        if (w->started)
            fputc('\n', f);
        w->started = 1;
        fprintf(f, "%u. %s%s%s", h->rank, bold, h->rec.title, off);
        if (section[0])
            fprintf(f, " \xE2\x80\xBA %s", section);
        fprintf(f, "\n   %s%s:%lld  score %.3f%s\n   ", dim, h->rec.path, h->rec.line, h->score,
                off);
        size_t p = 0;
        for (size_t k = 0; k < h->n_hl; k++) {
            fwrite(h->snippet + p, 1, h->hl[k].start - p, f);
            fputs(bold, f);
            fwrite(h->snippet + h->hl[k].start, 1, h->hl[k].end - h->hl[k].start, f);
            fputs(off, f);
            p = h->hl[k].end;
        }
        fwrite(h->snippet + p, 1, h->snippet_len - p, f);
        fputc('\n', f);
    }
    if (r->n_facets) {
        if (w->started)
            fputc('\n', f);
        w->started = 1;
        for (int k = 0; k < 3; k++) {
            int any = 0;
            for (size_t i = 0; i < r->n_facets; i++) {
                if ((int)r->facets[i].kind != k)
                    continue;
                if (!any)
                    fprintf(f, "%s%s:%s ", bold, ms_entkind_name((ms_entkind)k), off);
                fprintf(f, "%s%s (%u)", any ? ", " : "", r->facets[i].name, r->facets[i].count);
                any = 1;
            }
            if (any)
                fputc('\n', f);
        }
    }
}

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

/* The record's strings were checked as UTF-8 when it was read: they are
 * set without a second check. */
static void set_str(json_t *o, const char *key, const char *v)
{
    if (v)
        json_object_set_new_nocheck(o, key, json_string_nocheck(v));
}

static void set_int(json_t *o, const char *key, long long v)
{
    json_object_set_new_nocheck(o, key, json_integer((json_int_t)v));
}

static json_t *entities_json(const ms_hit *h)
{
    json_t *out = json_array();
    for (size_t i = 0; i < h->rec.n_ents; i++) {
        json_t *e = json_object();
        set_str(e, "type", ms_entkind_name(h->rec.ents[i].kind));
        set_str(e, "name", h->rec.ents[i].name);
        json_array_append_new(out, e);
    }
    return out;
}

static void write_json(ms_writer *w, const char *qid, const ms_results *r)
{
    for (size_t i = 0; i < r->n; i++) {
        const ms_hit *h = &r->hits[i];
        const ms_rec *rec = &h->rec;
        json_t *o = json_object();
        json_object_set_new_nocheck(o, "qid", json_string(qid));
        set_int(o, "rank", h->rank);
        json_object_set_new_nocheck(o, "score", json_real(h->score));
        set_str(o, "path", rec->path);
        set_str(o, "article", rec->article);
        set_str(o, "title", rec->title);
        set_str(o, "section", rec->section);
        set_int(o, "start", rec->start);
        set_int(o, "end", rec->end);
        set_int(o, "line", rec->line);
        set_str(o, "source", rec->source);
        set_str(o, "url", rec->url);
        set_str(o, "date", rec->date);
        set_str(o, "author", rec->author);
        /* cut from the record's text at token boundaries: checked as well */
        json_object_set_new_nocheck(o, "snippet", json_stringn_nocheck(h->snippet, h->snippet_len));
        json_t *hl = json_array();
        for (size_t k = 0; k < h->n_hl; k++) {
            json_t *range = json_array();
            json_array_append_new(range, json_integer((json_int_t)h->hl[k].start));
            json_array_append_new(range, json_integer((json_int_t)h->hl[k].end));
            json_array_append_new(hl, range);
        }
        json_object_set_new_nocheck(o, "highlights", hl);
        json_object_set_new_nocheck(o, "entities", entities_json(h));
        if (r->info.did_you_mean)
            json_object_set_new(o, "did_you_mean", json_string(r->info.did_you_mean));
        if (w->partial)
            json_object_set_new(o, "partial", json_string(w->partial));
        if (w->time_ms >= 0)
            json_object_set_new(o, "time_ms", json_real(w->time_ms));
        dump_line(o, w->f);
        json_decref(o);
    }
    if (r->n_facets) {
        json_t *o = json_object(), *fa = json_object();
        json_object_set_new(o, "qid", json_string(qid));
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
}

static void write_tsv(ms_writer *w, const char *qid, const ms_results *r)
{
    if (!w->started)
        fputs("qid\trank\tscore\tpath\tarticle\ttitle\tsection\tstart\tend\tline\tsnippet\n", w->f);
    w->started = 1;
    for (size_t i = 0; i < r->n; i++) {
        const ms_hit *h = &r->hits[i];
        tsv_field(w->f, qid);
        fprintf(w->f, "\t%u\t%.6f\t", h->rank, h->score);
        const char *const fields[] = {h->rec.path, h->rec.article, h->rec.title, h->rec.section};
        for (size_t k = 0; k < 4; k++) {
            tsv_field(w->f, fields[k]);
            fputc('\t', w->f);
        }
        fprintf(w->f, "%lld\t%lld\t%lld\t", h->rec.start, h->rec.end, h->rec.line);
        tsv_field(w->f, h->snippet);
        fputc('\n', w->f);
    }
}

static void write_trec(ms_writer *w, const char *qid, const ms_results *r)
{
    for (size_t i = 0; i < r->n; i++) {
        const ms_hit *h = &r->hits[i];
        fprintf(w->f, "%s Q0 ", qid);
        for (const char *p = h->rec.path; *p; p++)
            fputc(*p == ' ' || *p == '\t' ? '_' : *p, w->f);
        fprintf(w->f, ":%lld %u %.6f medsearch\n", h->rec.start, h->rank, h->score);
    }
}

void ms_write_results(ms_writer *w, const char *qid, const ms_results *r)
{
    switch (w->fmt) {
    case MS_OUT_TEXT:
        write_text(w, r);
        break;
    case MS_OUT_JSON:
        write_json(w, qid, r);
        break;
    case MS_OUT_TSV:
        write_tsv(w, qid, r);
        break;
    case MS_OUT_TREC:
        write_trec(w, qid, r);
        break;
    }
}
