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
    ms_writer_set_colors(w, NULL, NULL, 0);
    return w;
}

ms_writer *ms_writer_part(const ms_writer *w, FILE *f)
{
    ms_writer *p = ms_writer_make(w->ops, f, w->color);
    p->begun = 1; /* w writes the head */
    p->mode = w->mode;
    p->width = w->width;
    p->full = w->full;
    memcpy(p->sgr, w->sgr, sizeof p->sgr);
    return p;
}

void ms_writer_set_terminal(ms_writer *w, unsigned width)
{
    w->width = width;
}

/* Set part's colour to the SGR parameters s[0..n), if they are digits and
 * semicolons that fit; returns 0 or -1. */
static int set_sgr(ms_writer *w, int part, const char *s, size_t n)
{
    if (n == 0 || n > sizeof w->sgr[0] - 4 || strspn(s, "0123456789;") < n)
        return -1;
    snprintf(w->sgr[part], sizeof w->sgr[part], "\033[%.*sm", (int)n, s);
    return 0;
}

int ms_writer_set_colors(ms_writer *w, const char *spec, char *bad, size_t cap)
{
    static const char *const defaults[MS_COLOR_PARTS] = {"35", "32", "1", "1", "2"};
    for (int k = 0; k < MS_COLOR_PARTS; k++)
        set_sgr(w, k, defaults[k], strlen(defaults[k]));
    for (const char *p = spec ? spec : ""; *p;) {
        size_t l = strcspn(p, ":"), eq = strcspn(p, "=");
        int part = eq < l ? ms_word_index(MS_COLOR_NAMES, p, eq) : -1;
        if (part < 0 || set_sgr(w, part, p + eq + 1, l - eq - 1) < 0) {
            snprintf(bad, cap,
                     "'%.*s' is not NAME=SGR (names: path, line, title, match, meta; "
                     "SGR: numbers and semicolons, as 1;31)",
                     (int)l, p);
            return -1;
        }
        p += l + (p[l] == ':');
    }
    return 0;
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
