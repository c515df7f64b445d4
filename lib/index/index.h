/*
 * medsearch/index.h - a corpus directory -> a Xapian index of passages, kept
 * up to date incrementally.
 *
 * Each passage is one Xapian document. Its terms (prefixes after omega's
 * conventions, see docs in README): `Z` stems with positions, and the
 * words that have no stem (ms_token_stemmed) as written, with positions;
 * `ZS`/`S` title words, `ZXH`/`XH` section-heading words, `XDRUG`,
 * `XSYM`, `XCOND` entities, and boolean terms `Q` (unique id), `P` (path),
 * `A` (article), `XSRC` (source), `XFMT` (format). Value slot
 * MS_SLOT_PASSAGE holds the passage record (record.h): everything needed to
 * print a result without opening the file, and the passage text.
 *
 * Bookkeeping lives in the index's metadata, committed together with the
 * documents it describes, so a killed run loses at most its last batch and
 * the next run repairs the rest: `F:<path>` records each indexed file (size,
 * mtime, content hash, passages), `E:<path>` each failed file with the
 * reason, `K:<path>` the keys of each readable file's lines and the
 * boilerplate answers its cut depends on (learn.c), `ms:settings` the
 * analyzer and lexicon settings.
 */
#ifndef MEDSEARCH_INDEX_H
#define MEDSEARCH_INDEX_H

#include <stddef.h>
#include <stdio.h>

#include "article/article.h"
#include "base/error.h"

#define MS_SCHEMA_VERSION 9

/* The boolean term of a passage's language (its stemmer's name):
 * XLANGenglish. The searcher stems queries in each language the index
 * lists so; --stats counts the passages of each. */
#define MS_LANG_PREFIX "XLANG"

/* Files larger than this fail as "too large", unless opts say otherwise. */
#define MS_MAX_FILE (64u << 20)

/* Value slots of passage documents. */
enum {
    MS_SLOT_ARTICLE = 0, /* article id: the collapse key */
    MS_SLOT_DATE = 1,
    MS_SLOT_SOURCE = 2,
    MS_SLOT_HEADS = 3,  /* title, NUL, section heading: what the re-ranker reads */
    MS_SLOT_PASSAGE = 4 /* the passage record and text (record.h) */
};

typedef struct ms_index_progress {
    size_t files_done, files_total;
    size_t bytes_done, bytes_total;
    double seconds;
} ms_index_progress;

typedef struct ms_ext_format {
    const char *ext; /* without the dot */
    ms_format fmt;
} ms_ext_format;

typedef struct ms_index_opts {
    const char *db_path;  /* the index, as messages name it */
    const char *write_to; /* the database written, when not db_path: a generation of a
                             single index, or a part of a parallel build */
    const char *corpus;   /* the corpus root; paths are stored relative to it */
    const char *language; /* NULL: english */
    int keep_accents;
    const char *lexicon_dir;          /* NULL: ms_lexicon_default_dir() */
    const char *const *lexicon_files; /* extra files */
    size_t n_lexicon_files;
    const ms_ext_format *ext_formats; /* --format-of overrides */
    size_t n_ext_formats;
    unsigned shard;        /* with n_shards > 1: index only the files of this shard, */
    unsigned n_shards;     /* chosen by a hash of each file's path (index/walk.c) */
    int rebuild;           /* start from an empty index */
    int dry_run;           /* report what would change, write nothing */
    int wait_lock;         /* wait for another writer instead of failing */
    int compact;           /* compact the index at the end of the run */
    int follow_symlinks;   /* follow links that lead out of the corpus too */
    int scratch;           /* db_path is a part of a parallel build, thrown away if
                              the build dies: written without fsync */
    int aside;             /* write_to is a rebuild's generation, which replaces the
                              index only once complete (ms_index_in_file) */
    size_t batch_files;    /* files per commit; 0: default */
    size_t max_file_bytes; /* larger files fail as "too large"; 0: MS_MAX_FILE */
    /* Called now and then during the run (may be NULL). */
    void (*progress)(void *ctx, const ms_index_progress *p);
    void *progress_ctx;
    /* Called for each file that failed or was skipped, with a one-line reason. */
    void (*warn)(void *ctx, const char *path, const char *reason);
    void *warn_ctx;
    /* Set non-zero (from a signal handler) to stop after the current batch. */
    volatile int *stop;
} ms_index_opts;

/* Boilerplate removed from the articles of one source (their `source`, or
 * else their top directory), for --stats. */
#define MS_STATS_SOURCES 32
typedef struct ms_source_stats {
    char name[64];
    size_t files, lines, bytes;
} ms_source_stats;

typedef struct ms_index_stats {
    size_t files_seen;    /* files of a known format under the corpus */
    size_t files_unknown; /* skipped: unknown extension */
    size_t files_indexed; /* (re)indexed in this run */
    size_t files_unchanged;
    size_t files_removed;     /* vanished from the corpus, removed from the index */
    size_t files_failed;      /* failed in this run */
    size_t files_failed_kept; /* failed before and unchanged, still skipped */
    size_t passages_added;
    size_t passages_removed;
    size_t bytes_read;
    size_t boiler_lines, boiler_bytes;
    ms_source_stats sources[MS_STATS_SOURCES]; /* the last one gathers the rest */
    size_t n_sources;
    size_t invalid_utf8; /* invalid UTF-8 bytes skipped */
    size_t dir_errors;   /* directories that could not be read */
    size_t vanished;     /* files gone between the walk and their reading */
    double seconds;
    int interrupted; /* stopped by *stop */
    int dropped;     /* an interrupted rebuild was thrown away: the index is as it was */
} ms_index_stats;

/* Bring the index at opts->db_path up to date with opts->corpus. */
int ms_index_run(const ms_index_opts *opts, ms_index_stats *stats, ms_error *err);

/* Build or update the index at opts->db_path on up to jobs processes,
 * holding the writers' lock of the index for the whole run. With
 * opts->n_shards > 1 (or when db_path already is one) the index is sharded:
 * a directory of shard-0 .. shard-N-1 databases and a XAPIANDB stub that
 * Xapian opens as one. Otherwise it is a single index, a directory whose
 * XAPIANDB stub names its current generation: a fresh build or a rebuild
 * writes a new generation (in parallel parts compacted into one when jobs
 * > 1) and switches to it only when it is complete, so readers never see a
 * partial rebuild and an interrupted one keeps the old index; other runs
 * update the current generation in place (ms_index_run). */
int ms_index_build(const ms_index_opts *opts, unsigned jobs, ms_index_stats *stats, ms_error *err);

/* Where a run of this process is, for a signal handler (async-signal-safe):
 * 0, or inside one file (reading it, parsing it, adding its passages):
 * MS_IN_FILE, or MS_IN_FILE_ASIDE in a rebuild written aside. A run looks
 * at *stop between files and between the passages of a file, not while
 * it parses one: a handler that finds it still in a file a moment after
 * the signal may end the process with _exit(). The index then stays at its
 * last commit, as after a kill: its committed work is kept, or, aside,
 * the rebuild is dropped and the index is as it was. */
enum { MS_IN_FILE = 1, MS_IN_FILE_ASIDE = 2 };
int ms_index_in_file(void);

/* Count an article of source name with lines/bytes of boilerplate removed. */
void ms_stats_add_source(ms_index_stats *st, const char *name, size_t files, size_t lines,
                         size_t bytes);

/* Print the statistics of the index at db_path (and of the run st, if not
 * NULL): passages, files, failed files with reasons, terms, entities, size. */
int ms_index_print_stats(const char *db_path, const ms_index_stats *st, FILE *f, ms_error *err);

#endif
