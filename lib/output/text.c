/*
 * output/text.c - results for people: rank, title and section, path:line,
 * what is known of the article and the score, and the snippet with its
 * matches in bold, one block a result, blocks set apart by a blank line.
 * In colour (on a terminal, or with --color always) the path and line
 * are coloured as ripgrep colours them (MEDSEARCH_COLORS changes it); on
 * a terminal snippets are wrapped to its width and a corrected query comes
 * first. In a batch, a line naming the query comes before its results, and
 * says when none was found; the facets follow the results, a line a kind.
 * Paths are escaped (ms_put_escaped): what a terminal shows is the name.
 */
#include "output/text.h"

#include <stdint.h>
#include <string.h>
#include <uniwidth.h>

#include "base/util.h"

/* The escape that starts a part's colour (writer.h) and the one that ends
 * it, or nothing without colour. */
#define ON(w, part) ((w)->color ? (w)->sgr[part] : "")
#define OFF(w) ((w)->color ? "\033[0m" : "")

static void text_begin(ms_writer *w, const ms_write_info *q, const ms_results *r)
{
    FILE *f = w->f;
    if (q->query) { /* a batch: which query these are, and a line even when none */
        if (w->started)
            fputc('\n', f);
        w->started = 1;
        fprintf(f, "%s[%s] ", ON(w, MS_COLOR_TITLE), q->qid);
        ms_put_escaped(f, q->query, strlen(q->query));
        fprintf(f, "%s\n", OFF(w));
    }
    /* on a terminal, the corrected query first (elsewhere it is a message) */
    if (w->width && r->info.did_you_mean) {
        w->started = 1;
        fprintf(f, "%sdid you mean:%s %s%s%s\n", ON(w, MS_COLOR_META), OFF(w),
                ON(w, MS_COLOR_MATCH), r->info.did_you_mean, OFF(w));
    }
}

/* Bytes [a, b) of h's snippet, its highlights (from the k-th on) in bold. */
static void put_marked(ms_writer *w, const ms_hit *h, size_t a, size_t b, size_t *k)
{
    for (size_t i = a; i < b; i++) {
        if (*k < h->n_hl && i == h->hl[*k].start)
            fputs(ON(w, MS_COLOR_MATCH), w->f);
        fputc(h->snippet[i], w->f);
        if (*k < h->n_hl && i + 1 == h->hl[*k].end) {
            fputs(OFF(w), w->f);
            (*k)++;
        }
    }
}

/* h's snippet after an indent of 3 columns, its line breaks kept (a whole
 * passage's), wrapped at the terminal's width (a whole passage elsewhere
 * at 80 columns) at its spaces (white space is folded to single
 * spaces in a snippet): never inside a word, and a word longer than a line has one of its own. */
static void put_snippet(ms_writer *w, const ms_hit *h)
{
    const char *s = h->snippet;
    size_t n = h->snippet_len, col = 3, k = 0;
    unsigned width = w->width ? w->width : w->full ? 80 : 0;
    fputs("   ", w->f);
    for (size_t p = 0; p <= n;) {
        size_t e = p;
        while (e < n && s[e] != ' ' && s[e] != '\n')
            e++;
        int cols = u8_width((const uint8_t *)s + p, e - p, "UTF-8");
        size_t ww = cols > 0 ? (size_t)cols : 0;
        /* a line break of the passage (a whole one has them), or the width */
        if (p > 0 && (s[p - 1] == '\n' || (width && col > 3 && col + 1 + ww > width))) {
            fputs("\n   ", w->f);
            col = 3;
        } else if (p > 0) {
            put_marked(w, h, p - 1, p, &k); /* the space */
            col++;
        }
        put_marked(w, h, p, e, &k);
        col += ww;
        p = e + 1;
    }
}

static void text_result(ms_writer *w, const ms_write_info *q, const ms_results *r, size_t i)
{
    FILE *f = w->f;
    const ms_hit *h = &r->hits[i];
    const char *section = h->rec.section;
    if (w->started && !(q->query && i == 0)) /* (a query's line holds the first) */
        fputc('\n', f);
    w->started = 1;
    fprintf(f, "%u. %s%s%s", h->rank, ON(w, MS_COLOR_TITLE), h->rec.title, OFF(w));
    if (section[0])
        fprintf(f, " \xE2\x80\xBA %s", section);
    /* where it is, and what is known of the article */
    fprintf(f, "\n   %s", ON(w, MS_COLOR_PATH));
    ms_put_escaped(f, h->rec.path, strlen(h->rec.path));
    fprintf(f, "%s:%s%lld%s%s", OFF(w), ON(w, MS_COLOR_LINE), h->rec.line, OFF(w),
            ON(w, MS_COLOR_META));
    const char *known[] = {h->rec.source, h->rec.date, h->rec.author};
    for (size_t k = 0; k < sizeof known / sizeof *known; k++)
        if (known[k] && known[k][0])
            fprintf(f, " \xC2\xB7 %s", known[k]);
    fprintf(f, "  score %.3f%s\n", h->score, OFF(w));
    put_snippet(w, h);
    fputc('\n', f);
}

/* -c: the number, "about N" when it is Xapian's estimate; in a batch after
 * the query's line, a line a query */
static void text_count(ms_writer *w, const ms_write_info *q, const ms_results *r)
{
    FILE *f = w->f;
    if (q->query) {
        fprintf(f, "%s[%s] ", ON(w, MS_COLOR_TITLE), q->qid);
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
    fputs(ON(w, MS_COLOR_PATH), w->f);
    ms_put_escaped(w->f, r->hits[i].rec.path, strlen(r->hits[i].rec.path));
    fprintf(w->f, "%s\n", OFF(w));
}

/* --show: the title, the path and what is known of the article, then each
 * passage: its number, section, where it lies in the file, and its text */
static void text_article(ms_writer *w, const ms_write_info *q, const ms_results *r)
{
    (void)q;
    FILE *f = w->f;
    if (!r->n)
        return;
    const ms_rec *a = &r->hits[0].rec;
    fprintf(f, "%s%s%s\n%s", ON(w, MS_COLOR_TITLE), a->title, OFF(w), ON(w, MS_COLOR_PATH));
    ms_put_escaped(f, a->path, strlen(a->path));
    fprintf(f, "%s%s", OFF(w), ON(w, MS_COLOR_META));
    const char *known[] = {a->source, a->date, a->author, a->url};
    for (size_t k = 0; k < sizeof known / sizeof *known; k++)
        if (known[k] && known[k][0])
            fprintf(f, " \xC2\xB7 %s", known[k]);
    fprintf(f, "%s\n", OFF(w));
    for (size_t i = 0; i < r->n; i++) {
        const ms_hit *h = &r->hits[i];
        fprintf(f, "\n%s[%u]%s ", ON(w, MS_COLOR_TITLE), h->rank, OFF(w));
        if (h->rec.section[0])
            fprintf(f, "%s \xC2\xB7 ", h->rec.section);
        fprintf(f, "%sline %lld, bytes %lld-%lld%s\n", ON(w, MS_COLOR_META), h->rec.line,
                h->rec.start, h->rec.end, OFF(w));
        put_snippet(w, h);
        fputc('\n', f);
    }
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
                fprintf(f, "%s%s:%s ", ON(w, MS_COLOR_TITLE), ms_entkind_name((ms_entkind)k),
                        OFF(w));
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
    .article = text_article,
};
