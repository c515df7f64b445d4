/*
 * walk.h - the files of a corpus that an index run looks at (walk.c).
 */
#ifndef MEDSEARCH_INDEX_WALK_H
#define MEDSEARCH_INDEX_WALK_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "index/index.h"

typedef struct file_ent {
    char *rel;
    ms_format fmt;
    off_t size;
    long long mtime; /* nanoseconds */
} file_ent;

typedef struct walk {
    const ms_index_opts *o;
    file_ent *v;
    size_t n, cap;
    char **bad_dirs; /* relative dirs that could not be read */
    size_t n_bad;
    ms_index_stats *st;
    dev_t *seen_dev; /* directories on the current path, for loop detection */
    ino_t *seen_ino;
    size_t depth;
    file_ent *other; /* the files of other shards (for learning boilerplate) */
    size_t n_other;
    int report;    /* warn and count what the walk meets (not in shards 1..N-1) */
    char **ignore; /* glob patterns from CORPUS/.medsearchignore */
    size_t n_ignore;
    char *root; /* the corpus folder, resolved: where links may lead */
} walk;

/* Pass a file's warning to o->warn, if any. */
void ms_index_warn(const ms_index_opts *o, const char *path, const char *reason);

/* Walk the corpus o->corpus (whose stat is root) into w: in w->v, sorted
 * by path, the files of a known format of this run's shard (all of them
 * without shards), and in w->other those of the other shards; counting
 * what the walk meets in st (files_seen, files_unknown, dir_errors). */
void ms_walk_corpus(walk *w, const ms_index_opts *o, const struct stat *root, ms_index_stats *st);

/* Whether the walk found rel (among this shard's files). */
int ms_walk_has(const walk *w, const char *rel);

/* Whether rel lies below (or is) a directory that could not be read. */
int ms_walk_under_bad_dir(const walk *w, const char *rel);

void ms_walk_free(walk *w);

/* The site of the file rel into site: its top directory, "" for a file at
 * the top of the corpus. */
void ms_walk_site(const char *rel, char *site, size_t cap);

#endif
