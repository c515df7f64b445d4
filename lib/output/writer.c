/*
 * output/writer.c - driving a format's back end, the same way for all.
 *
 * Every format is a table of functions (writer.h), as notmuch's sprinter
 * is: the order of the calls, and what a batch needs to put queries
 * answered apart back together (TSV's header once, text's blank line
 * between queries), are decided here once; the back ends only write.
 */
#include "output/writer.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

ms_writer *ms_writer_make(const ms_writer_ops *ops, FILE *f, int color)
{
    ms_writer *w = ms_xrealloc(NULL, ops->size);
    memset(w, 0, ops->size);
    w->ops = ops;
    w->f = f;
    w->color = color;
    return w;
}

ms_writer *ms_writer_part(const ms_writer *w, FILE *f)
{
    ms_writer *p = ms_writer_make(w->ops, f, w->color);
    p->begun = 1; /* w writes the head */
    p->mode = w->mode;
    p->width = w->width;
    p->full = w->full;
    return p;
}

void ms_writer_set_width(ms_writer *w, unsigned width)
{
    w->width = width;
}

void ms_writer_set_full(ms_writer *w, int full)
{
    w->full = full;
}

int ms_writer_set_mode(ms_writer *w, ms_write_mode mode)
{
    if ((mode == MS_WRITE_COUNT && !w->ops->count) || (mode == MS_WRITE_FILES && !w->ops->file))
        return -1;
    w->mode = mode;
    return 0;
}

void ms_writer_free(ms_writer *w)
{
    if (!w)
        return;
    if (w->ops->free)
        w->ops->free(w);
    free(w);
}

int ms_writer_shows_time(const ms_writer *w)
{
    return w->ops->shows_time;
}

/* The head, unless it was written. */
static void head(ms_writer *w)
{
    if (!w->begun && w->ops->head)
        w->ops->head(w);
    w->begun = 1;
}

void ms_write_results(ms_writer *w, const ms_write_info *q, const ms_results *r)
{
    const ms_writer_ops *ops = w->ops;
    head(w);
    if (w->mode == MS_WRITE_COUNT || (w->mode == MS_WRITE_ARTICLE && ops->article)) {
        (w->mode == MS_WRITE_COUNT ? ops->count : ops->article)(w, q, r);
        return;
    }
    if (ops->begin)
        ops->begin(w, q, r);
    for (size_t i = 0; i < r->n; i++)
        (w->mode == MS_WRITE_FILES ? ops->file : ops->result)(w, q, r, i);
    if (r->n_facets && ops->facets)
        ops->facets(w, q, r);
    if (ops->end)
        ops->end(w, q, r);
}

void ms_writer_splice(ms_writer *w, const char *part, size_t n)
{
    head(w);
    if (n && w->started && w->ops->gap && w->mode != MS_WRITE_COUNT) /* (a line a query) */
        fputs(w->ops->gap, w->f);
    w->started |= n > 0;
    if (n)
        fwrite(part, 1, n, w->f);
}
