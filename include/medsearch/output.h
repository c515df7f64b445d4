/*
 * medsearch/output.h - writing results: text for people, JSON Lines, TSV and
 * TREC run files for scripts. Every format gets every field it can carry;
 * JSON strings and reals are encoded by jansson, never escaped by hand.
 */
#ifndef MEDSEARCH_OUTPUT_H
#define MEDSEARCH_OUTPUT_H

#include <stdio.h>

#include "medsearch/search.h"

/* The formats' names, space-separated: the choices of medquery --format,
 * in the order of ms_outfmt. */
#define MS_OUTPUT_FORMATS "text json tsv trec"

/* When to highlight in colour: the choices of medquery --color. */
#define MS_OUTPUT_COLORS "auto always never"

typedef enum ms_outfmt { MS_OUT_TEXT, MS_OUT_JSON, MS_OUT_TSV, MS_OUT_TREC } ms_outfmt;

typedef struct ms_writer {
    ms_outfmt fmt;
    int color; /* ANSI bold highlights (text format) */
    FILE *f;
    int started;         /* a header or a first result was written */
    const char *partial; /* shards left out of the search, or NULL */
    double time_ms;      /* the query's time for JSON results, or < 0 */
    const char *query;   /* text format: when set (a batch), a line naming the query (and
                            its qid) comes before its results, or says none was found */
} ms_writer;

/* Format from its name; -1 if unknown. */
int ms_outfmt_from_name(const char *name);

/* Write the results of one query (qid names it in every format). */
void ms_write_results(ms_writer *w, const char *qid, const ms_results *r);

#endif
