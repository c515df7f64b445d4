/*
 * output/tsv.c - results as tab-separated values, for scripts and
 * spreadsheets: a header line once, then a row a result (qid, rank, score,
 * path, article, title, section, start, end, line, snippet). A field holds
 * no tab or line break: in text they become spaces, and the path and the
 * article are escaped (ms_put_escaped), so that the file they name can be
 * told back.
 */
#include "output/tsv.h"

#include <string.h>

#include "base/util.h"

/* Write s for a TSV field: tabs and line breaks become spaces. */
static void tsv_field(FILE *f, const char *s)
{
    for (; *s; s++)
        fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

static void tsv_head(ms_writer *w)
{
    if (w->mode == MS_WRITE_COUNT)
        fputs("qid\tmatches\texact\n", w->f);
    else if (w->mode == MS_WRITE_FILES)
        fputs("qid\trank\tpath\n", w->f);
    else
        fputs("qid\trank\tscore\tpath\tarticle\ttitle\tsection\tstart\tend\tline\tsnippet\n", w->f);
}

static void tsv_count(ms_writer *w, const ms_write_info *q, const ms_results *r)
{
    tsv_field(w->f, q->qid);
    fprintf(w->f, "\t%u\t%s\n", r->estimated, r->exact ? "true" : "false");
}

static void tsv_file(ms_writer *w, const ms_write_info *q, const ms_results *r, size_t i)
{
    tsv_field(w->f, q->qid);
    fprintf(w->f, "\t%u\t", r->hits[i].rank);
    ms_put_escaped(w->f, r->hits[i].rec.path, strlen(r->hits[i].rec.path));
    fputc('\n', w->f);
}

static void tsv_result(ms_writer *w, const ms_write_info *q, const ms_results *r, size_t i)
{
    const ms_hit *h = &r->hits[i];
    tsv_field(w->f, q->qid);
    fprintf(w->f, "\t%u\t%.6f\t", h->rank, h->score);
    /* the path and the article (named after the path) escaped, so that
       the file they name can be told back; the other fields are text */
    ms_put_escaped(w->f, h->rec.path, strlen(h->rec.path));
    fputc('\t', w->f);
    ms_put_escaped(w->f, h->rec.article, strlen(h->rec.article));
    fputc('\t', w->f);
    tsv_field(w->f, h->rec.title);
    fputc('\t', w->f);
    tsv_field(w->f, h->rec.section);
    fputc('\t', w->f);
    fprintf(w->f, "%lld\t%lld\t%lld\t", h->rec.start, h->rec.end, h->rec.line);
    tsv_field(w->f, h->snippet);
    fputc('\n', w->f);
}

const ms_writer_ops ms_tsv_writer = {
    .size = sizeof(ms_writer),
    .head = tsv_head,
    .result = tsv_result,
    .count = tsv_count,
    .file = tsv_file,
};
