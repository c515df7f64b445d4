/*
 * query/batch.c - medquery --batch: queries read one a line, answered by
 * workers, results written in input order.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unistr.h>

#include "medquery.h"

/* ---- batch mode ----
 *
 * The reader (the main thread) reads lines into a ring of WINDOW jobs; each
 * of the workers, with a searcher of its own, takes the next job, answers it
 * into memory, and then writes out every finished job that is next in input
 * order. So results come in input order, each as soon as it and all before
 * it are done (a script can write a query and read its answer), and memory
 * stays bounded whatever the batch's length. */

#define WINDOW 64

typedef struct job {
    char *line; /* the query line, NULL for a line with a NUL byte */
    unsigned lineno;
    char *out, *err; /* what the query writes on stdout and stderr */
    size_t out_len, err_len;
    int rc, done;
} job;

typedef struct batch {
    const conf *c;
    const char *name; /* the batch file's name, or "stdin" */
    pthread_mutex_t mu;
    pthread_cond_t work, room;
    job ring[WINDOW];
    unsigned long read, taken, written; /* jobs read, taken by a worker, written out */
    int eof;
    int reader_waits; /* for room in the ring */
    int any, errors, fatal;
} batch;

typedef struct worker {
    batch *b;
    ms_searcher *s;
    pthread_t th;
} worker;

/* Answer job j into memory. */
static void answer(worker *wk, job *j)
{
    const conf *c = wk->b->c;
    FILE *out = open_memstream(&j->out, &j->out_len);
    FILE *err = open_memstream(&j->err, &j->err_len);
    if (!out || !err) {
        perror(cli.prog);
        exit(2);
    }
    char where[512];
    snprintf(where, sizeof where, "%s:%u", wk->b->name, j->lineno);
    char qid[64];
    const char *q = j->line;
    char *tab = strchr(j->line, '\t');
    if (tab) {
        *tab = '\0';
        snprintf(qid, sizeof qid, "%s", j->line);
        q = tab + 1;
    }
    if (!tab || !qid[0]) /* no qid, or an empty one: the line number */
        snprintf(qid, sizeof qid, "%u", j->lineno);
    if (u8_check((const uint8_t *)qid, strlen(qid))) {
        /* a script could not match it with its query in JSON */
        ms_cli_say(&cli, err, "%s: the qid is not valid UTF-8, line skipped", where);
        j->rc = 2;
    } else {
        /* each job writes a part of the output: the writing thread adds
           what depends on earlier output (ms_writer_splice) */
        ms_writer *w = ms_writer_part(c->w, out);
        j->rc = one(wk->s, c, w, err, qid, q, where);
        ms_writer_free(w);
    }
    fclose(out);
    fclose(err);
}

/* Write out the finished jobs that are next in order; called locked. */
static void write_ready(batch *b)
{
    const conf *c = b->c;
    while (b->written < b->read) {
        job *j = &b->ring[b->written % WINDOW];
        if (!j->done)
            break;
        if (!j->line || j->err_len)
            fflush(stdout); /* in order, when both go to one file */
        if (!j->line) {
            ms_cli_say(&cli, stderr, "%s:%u: NUL byte in query, line skipped", b->name, j->lineno);
            j->rc = 2;
        }
        if (j->err_len)
            fwrite(j->err, 1, j->err_len, stderr);
        ms_writer_splice(c->w, j->out, j->out_len);
        b->any |= j->rc == 0;
        b->errors += j->rc == 2;
        b->fatal |= j->rc == 3;
        free(j->line);
        free(j->out);
        free(j->err);
        memset(j, 0, sizeof *j);
        b->written++;
    }
    /* out as soon as every query read so far is answered (a script that
       writes a query and waits for its answer gets it), else when the
       buffer is full: one write a query cost a wake-up of the reading
       process each time */
    if (b->written == b->read)
        fflush(stdout);
    /* the reader is woken when half the ring is free, not for every job:
       a wake-up each time cost a context switch per query */
    if (b->reader_waits && b->read - b->written <= WINDOW / 2)
        pthread_cond_signal(&b->room);
}

static void *work(void *arg)
{
    worker *wk = arg;
    batch *b = wk->b;
    pthread_mutex_lock(&b->mu);
    for (;;) {
        while (b->taken == b->read && !b->eof)
            pthread_cond_wait(&b->work, &b->mu);
        if (b->taken == b->read)
            break;
        job *j = &b->ring[b->taken++ % WINDOW];
        pthread_mutex_unlock(&b->mu);
        if (j->line)
            answer(wk, j);
        pthread_mutex_lock(&b->mu);
        j->done = 1;
        write_ready(b);
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

/* Queue a job: the line (taken over), or NULL for a line with a NUL byte. */
static void enqueue(batch *b, char *line, unsigned lineno)
{
    pthread_mutex_lock(&b->mu);
    while (b->read - b->written >= WINDOW) {
        b->reader_waits = 1;
        pthread_cond_wait(&b->room, &b->mu);
    }
    b->reader_waits = 0;
    job *j = &b->ring[b->read % WINDOW];
    j->line = line;
    j->lineno = lineno;
    b->read++;
    pthread_cond_signal(&b->work);
    pthread_mutex_unlock(&b->mu);
}

int run_batch(ms_searcher **s, unsigned n_workers, const conf *c)
{
    FILE *in = strcmp(c->batch, "-") == 0 ? stdin : fopen(c->batch, "r");
    if (!in) {
        ms_cli_error(&cli, "%s: cannot open batch file", c->batch);
        return 2;
    }
    /* room for many answers between writes (a pipe's or file's default
       buffer is a page; a terminal's stays line by line) */
    if (!isatty(STDOUT_FILENO))
        setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    batch b = {.c = c, .name = in == stdin ? "stdin" : c->batch};
    pthread_mutex_init(&b.mu, NULL);
    pthread_cond_init(&b.work, NULL);
    pthread_cond_init(&b.room, NULL);
    worker *wk = calloc(n_workers, sizeof *wk);
    if (!wk) {
        perror(cli.prog);
        exit(2);
    }
    for (unsigned i = 0; i < n_workers; i++) {
        wk[i].b = &b;
        wk[i].s = s[i];
        if (pthread_create(&wk[i].th, NULL, work, &wk[i]) != 0) {
            perror(cli.prog);
            exit(2);
        }
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned lineno = 0;
    while ((n = getline(&line, &cap, in)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if ((size_t)n != strlen(line)) {
            enqueue(&b, NULL, lineno); /* reported in its turn by write_ready */
        } else if (n > 0) {
            enqueue(&b, line, lineno);
            line = NULL;
            cap = 0;
        }
    }
    free(line);
    pthread_mutex_lock(&b.mu);
    b.eof = 1;
    pthread_cond_broadcast(&b.work);
    pthread_mutex_unlock(&b.mu);
    for (unsigned i = 0; i < n_workers; i++)
        pthread_join(wk[i].th, NULL);
    free(wk);
    pthread_cond_destroy(&b.room);
    pthread_cond_destroy(&b.work);
    pthread_mutex_destroy(&b.mu);
    if (in != stdin)
        fclose(in);
    /* like grep: 2 when the index failed; a malformed line only when nothing
     * was found either */
    return b.fatal || (b.errors && !b.any) ? 2 : b.any ? 0 : 1;
}
