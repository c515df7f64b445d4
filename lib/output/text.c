/*
 * output/text.c - results for people: rank, title and section, path:line
 * and score, and the snippet with its matches in bold (on a terminal, or
 * with --color always), one block a result, blocks set apart by a blank
 * line. In a batch, a line naming the query comes before its results, and
 * says when none was found; the facets follow the results, a line a kind.
 * Paths are escaped (ms_put_escaped): what a terminal shows is the name.
 */
#include "output/text.h"

#include <string.h>

#include "base/util.h"

/* ANSI bold, normal and dim, or nothing without colour. */
#define BOLD(w) ((w)->color ? "\033[1m" : "")
#define OFF(w) ((w)->color ? "\033[0m" : "")
#define DIM(w) ((w)->color ? "\033[2m" : "")

static void text_begin(ms_writer *w, const ms_write_info *q, const ms_results *r)
{
    (void)r;
    if (!q->query)
        return;
    /* a batch: which query these are, and a line even when none */
    FILE *f = w->f;
    if (w->started)
        fputc('\n', f);
    w->started = 1;
    fprintf(f, "%s[%s] ", BOLD(w), q->qid);
    ms_put_escaped(f, q->query, strlen(q->query));
    fprintf(f, "%s\n", OFF(w));
}

static void text_result(ms_writer *w, const ms_write_info *q, const ms_results *r, size_t i)
{
    FILE *f = w->f;
    const char *bold = BOLD(w), *off = OFF(w);
    const ms_hit *h = &r->hits[i];
    const char *section = h->rec.section;
    if (w->started && !(q->query && i == 0)) /* (a query's line holds the first) */
        fputc('\n', f);
    w->started = 1;
    fprintf(f, "%u. %s%s%s", h->rank, bold, h->rec.title, off);
    if (section[0])
        fprintf(f, " \xE2\x80\xBA %s", section);
    fprintf(f, "\n   %s", DIM(w));
    ms_put_escaped(f, h->rec.path, strlen(h->rec.path));
    fprintf(f, ":%lld  score %.3f%s\n   ", h->rec.line, h->score, off);
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

/* -c: the number, "about N" when it is Xapian's estimate; in a batch after
 * the query's line, a line a query */
static void text_count(ms_writer *w, const ms_write_info *q, const ms_results *r)
{
    FILE *f = w->f;
    if (q->query) {
        fprintf(f, "%s[%s] ", BOLD(w), q->qid);
        ms_put_escaped(f, q->query, strlen(q->query));
        fprintf(f, "%s: ", OFF(w));
    }
    fprintf(f, "%s%u\n", r->exact ? "" : "about ", r->estimated);
}

/* -l: the path alone, a line a file */
static void text_file(ms_writer *w, const ms_write_info *q, const ms_results *r, size_t i)
{
    (void)q;
    w->started = 1;
    ms_put_escaped(w->f, r->hits[i].rec.path, strlen(r->hits[i].rec.path));
    fputc('\n', w->f);
}

static void text_facets(ms_writer *w, const ms_write_info *q, const ms_results *r)
{
    (void)q;
    FILE *f = w->f;
    if (w->started)
        fputc('\n', f);
    w->started = 1;
    for (int k = 0; k < 3; k++) {
        int any = 0;
        for (size_t i = 0; i < r->n_facets; i++) {
            if ((int)r->facets[i].kind != k)
                continue;
            if (!any)
                fprintf(f, "%s%s:%s ", BOLD(w), ms_entkind_name((ms_entkind)k), OFF(w));
            fprintf(f, "%s%s (%u)", any ? ", " : "", r->facets[i].name, r->facets[i].count);
            any = 1;
        }
        if (any)
            fputc('\n', f);
    }
}

static void text_end(ms_writer *w, const ms_write_info *q, const ms_results *r)
{
    if (q->query && !r->n && !r->n_facets)
        fputs("   (nothing found)\n", w->f);
}

const ms_writer_ops ms_text_writer = {
    .size = sizeof(ms_writer),
    .gap = "\n", /* a blank line, as between the results of one query */
    .begin = text_begin,
    .result = text_result,
    .facets = text_facets,
    .end = text_end,
    .count = text_count,
    .file = text_file,
};
