/*
 * output/writer.h - the interface every output format implements: a
 * table of functions called at fixed points of the output, and the state
 * that every writer has. A back end's own state follows it in a struct of
 * its own (ms_writer_ops.size).
 */
#ifndef MEDSEARCH_OUTPUT_WRITER_H
#define MEDSEARCH_OUTPUT_WRITER_H

#include <stddef.h>
#include <stdio.h>

#include "output/output.h"

/* A format's back end: what it writes at each point of the output. A NULL
 * function writes nothing there. The calls come in this order: head once,
 * before the first query's output (its form depends on the writer's mode);
 * then for each query begin, result for each of its results, facets when
 * it has any, and end. In MS_WRITE_COUNT mode, count alone is called for
 * each query, and in MS_WRITE_FILES mode file takes result's place; a
 * format without them has no such mode. In MS_WRITE_ARTICLE mode, article
 * alone is called when the format has one, else the calls of results. */
typedef struct ms_writer_ops {
    size_t size;     /* of the back end's writer, whose first member is its ms_writer */
    const char *gap; /* written between two queries' outputs spliced together, or NULL */
    int shows_time;  /* the results carry the query's time (time_ms) */
    void (*head)(ms_writer *w);
    void (*begin)(ms_writer *w, const ms_write_info *q, const ms_results *r);
    void (*result)(ms_writer *w, const ms_write_info *q, const ms_results *r, size_t i);
    void (*facets)(ms_writer *w, const ms_write_info *q, const ms_results *r);
    void (*end)(ms_writer *w, const ms_write_info *q, const ms_results *r);
    void (*count)(ms_writer *w, const ms_write_info *q, const ms_results *r);
    void (*file)(ms_writer *w, const ms_write_info *q, const ms_results *r, size_t i);
    void (*article)(ms_writer *w, const ms_write_info *q, const ms_results *r);
    void (*free)(ms_writer *w); /* what the back end holds besides its writer */
} ms_writer_ops;

/* The parts of text output in colour (ms_writer_set_colors' names, in
 * this order). */
enum {
    MS_COLOR_PATH,
    MS_COLOR_LINE,
    MS_COLOR_TITLE,
    MS_COLOR_MATCH,
    MS_COLOR_META,
    MS_COLOR_PARTS
};
#define MS_COLOR_NAMES "path line title match meta"

struct ms_writer {
    const ms_writer_ops *ops;
    FILE *f;
    int color; /* ANSI bold highlights (text format) */
    ms_write_mode mode;
    unsigned width;               /* text: a terminal this wide (0: none) */
    int full;                     /* whole passages: json gives the text too, text wraps them */
    char sgr[MS_COLOR_PARTS][24]; /* text: the escape that starts each part's colour */
    int begun;                    /* the head was written, or is another writer's (a part) */
    int started;                  /* something was written (text sets the next block apart) */
};

/* A writer with ops on f (ops->size bytes, zeroed but for the ms_writer). */
ms_writer *ms_writer_make(const ms_writer_ops *ops, FILE *f, int color);

#endif
