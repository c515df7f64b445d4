/*
 * medsearch/output.h - writing results: text for people, JSON Lines, TSV and
 * TREC run files for scripts. Every format gets every field it can carry;
 * JSON strings and reals are encoded by jansson, never escaped by hand.
 *
 * A writer is one format's back end behind one interface: the caller asks
 * for it by name and hands it each query's results; what comes before the
 * first query (TSV's header) and between two (text's blank line) is the
 * writer's to know.
 */
#ifndef MEDSEARCH_OUTPUT_H
#define MEDSEARCH_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "search/search.h"

/* The formats' names, space-separated: the choices of medquery --format. */
#define MS_OUTPUT_FORMATS "text json tsv trec"

/* The version of the JSON output's schema (docs/medquery.schema.json), the
 * "v" of every line: raised when a field changes meaning or goes away (a
 * new field does not raise it). */
#define MS_JSON_VERSION 1

/* When to highlight in colour: the choices of medquery --color. */
#define MS_OUTPUT_COLORS "auto always never"

typedef struct ms_writer ms_writer;

/* What is written of each query: its results; how many passages match
 * (medquery -c, as grep -c); the files of its results, each once, in rank
 * order (medquery -l, as grep -l); or, the results being the passages of
 * one article (ms_show), the article (medquery --show: text writes its
 * title and metadata once, then each passage with where it lies; the
 * other formats write the passages as results). */
typedef enum { MS_WRITE_RESULTS, MS_WRITE_COUNT, MS_WRITE_FILES, MS_WRITE_ARTICLE } ms_write_mode;

/* What is written with one query's results besides them. */
typedef struct ms_write_info {
    const char *qid;     /* names the query in every format */
    const char *query;   /* text format: when set (a batch), a line naming the query (and
                            its qid) comes before its results, or says none was found */
    const char *partial; /* shards left out of the search, or NULL */
    double time_ms;      /* the query's time for JSON results, or < 0 */
} ms_write_info;

/* A writer of the format named (a word of MS_OUTPUT_FORMATS) on f, with
 * ANSI bold highlights when color is set (text format); NULL when no
 * format has that name. */
ms_writer *ms_writer_new(const char *format, FILE *f, int color);

/* A writer for a part of w's output written apart (a batch worker's answer
 * to one query, in memory), to be added to w's with ms_writer_splice. */
ms_writer *ms_writer_part(const ms_writer *w, FILE *f);

void ms_writer_free(ms_writer *w);

/* Write mode from now on (parts made after take it too). Returns -1 when
 * the format has no form for it (TREC lists ranked passages only). */
int ms_writer_set_mode(ms_writer *w, ms_write_mode mode);

/* Text output goes to a terminal width columns wide: snippets are wrapped
 * at spaces, never inside a word, and a corrected query is noted at the
 * top (0, the default: no terminal; a snippet is one line). */
void ms_writer_set_terminal(ms_writer *w, unsigned width);

/* Results show whole passages (medquery --full): text wraps them, on no
 * terminal at 80 columns; JSON gives each passage, as stored, as "text". */
void ms_writer_set_full(ms_writer *w, int full);

/* The colours of text output, as SGR parameters by part (ripgrep's
 * --colors, in the form of GCC_COLORS): "path=35:line=32:title=1:match=1:
 * meta=2" are the defaults, and spec (MEDSEARCH_COLORS) changes some.
 * Returns 0, or -1 after writing what is wrong in bad (cap bytes). */
int ms_writer_set_colors(ms_writer *w, const char *spec, char *bad, size_t cap);

/* Write the results of one query. */
void ms_write_results(ms_writer *w, const ms_write_info *q, const ms_results *r);

/* Add the n bytes a part of w wrote to w's output, with what the format
 * writes before the first query (TSV: the header line, even when n is 0)
 * and between two (text: a blank line). */
void ms_writer_splice(ms_writer *w, const char *part, size_t n);

/* Whether the format carries each query's time in its results (JSON's
 * time_ms); else the caller reports it. */
int ms_writer_shows_time(const ms_writer *w);

/* Whether to highlight in colour, for when (a word of MS_OUTPUT_COLORS):
 * always, never, or auto: when fd is a terminal and NO_COLOR is unset or
 * empty. */
int ms_output_color(const char *when, int fd);

#endif
