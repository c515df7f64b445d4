/*
 * medquery.h - what medquery's main.c and batch.c share: the program's
 * flag table, its settings, and the answer to one query.
 */
#ifndef MEDQUERY_H
#define MEDQUERY_H

#include <stdio.h>

#include "cli/cli.h"
#include "output/output.h"
#include "search/search.h"

extern const ms_cli cli;

typedef struct conf {
    const char *db;
    ms_search_opts so;
    ms_writer *w;
    const char *batch;
    unsigned jobs;
    int explain;
    int timings;
    int count;            /* -c: the number of matches is what is found */
    int correction_shown; /* the output notes a corrected query (text on a terminal) */
    ms_env_opts eo;
} conf;

/* Run one query, writing results with w and messages on err_f; returns 0
 * found, 1 none, 2 error in this query (reported), 3 an error of the index
 * or a shard, which later queries would meet too. In a batch (where names
 * the line), text output names each query before its results. */
int one(ms_searcher *s, const conf *c, ms_writer *w, FILE *err_f, const char *qid, const char *q,
        const char *where);

/* Answer the queries of c->batch with n_workers searchers s, results in
 * input order; returns the exit status. */
int run_batch(ms_searcher **s, unsigned n_workers, const conf *c);

#endif
