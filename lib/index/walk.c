/*
 * walk.c - the files of a corpus that an index run looks at.
 *
 * The walk lists every file of a known format under the corpus root, by
 * its path relative to the root. Hidden entries, the patterns of
 * CORPUS/.medsearchignore, symlink loops and (unless --follow-symlinks)
 * links that lead out of the corpus folder are skipped; a directory that
 * cannot be read is remembered, so that the run never removes the passages
 * of the files below it. In a sharded build each shard takes the files its
 * hash of their path gives it (shard_of), and keeps the others' names for
 * learning boilerplate from the whole corpus.
 */
#include "index/walk.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

void ms_index_warn(const ms_index_opts *o, const char *path, const char *reason)
{
    if (o->warn)
        o->warn(o->warn_ctx, path, reason);
}

static ms_format format_of(const ms_index_opts *o, const char *name)
{
    const char *dot = strrchr(name, '.');
    if (dot) {
        for (size_t i = 0; i < o->n_ext_formats; i++)
            if (strcmp(dot + 1, o->ext_formats[i].ext) == 0)
                return o->ext_formats[i].fmt;
    }
    return ms_format_from_path(name);
}

/* The shard (0..n_shards-1) of a file, by its path relative to the corpus. */
static unsigned shard_of(const char *rel, unsigned n_shards)
{
    return (unsigned)(ms_fnv1a(MS_FNV_BASIS, rel, strlen(rel)) % n_shards);
}

/* Read CORPUS/.medsearchignore: one glob pattern a line (# comments); a
 * pattern with a '/' matches the path from the corpus root, one without
 * matches a name at any depth. */
static void load_ignore(walk *w)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/.medsearchignore", w->o->corpus);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        w->ignore = ms_xrealloc(w->ignore, (w->n_ignore + 1) * sizeof *w->ignore);
        w->ignore[w->n_ignore++] = ms_xstrdup(line);
    }
    fclose(f);
}

static int ignored(const walk *w, const char *rel, const char *name)
{
    char full[4200];
    snprintf(full, sizeof full, "%s%s%s", rel, rel[0] ? "/" : "", name);
    for (size_t i = 0; i < w->n_ignore; i++) {
        const char *pat = w->ignore[i];
        if (fnmatch(pat, strchr(pat, '/') ? full : name, FNM_PATHNAME) == 0)
            return 1;
    }
    return 0;
}

/* Every shard's process walks the whole corpus: only the first reports what
 * the walk meets, so a parallel build says it once. */
static void walk_warn(const walk *w, const char *path, const char *msg)
{
    if (w->report)
        ms_index_warn(w->o, path, msg);
}

/* Whether the link at path resolves to a place inside the corpus folder
 * (a dangling link counts as inside: the walk reports it as it is). */
static int leads_inside(const walk *w, const char *path)
{
    char *real = realpath(path, NULL);
    if (!real)
        return 1;
    size_t rl = strlen(w->root);
    int in = strncmp(real, w->root, rl) == 0 && (real[rl] == '/' || !real[rl] || rl == 1);
    free(real);
    return in;
}

static void walk_dir(walk *w, const char *abs, const char *rel)
{
    DIR *d = opendir(abs);
    if (!d) {
        char msg[256];
        snprintf(msg, sizeof msg, "cannot read directory: %s", strerror(errno));
        walk_warn(w, abs, msg);
        w->bad_dirs = ms_xrealloc(w->bad_dirs, (w->n_bad + 1) * sizeof *w->bad_dirs);
        w->bad_dirs[w->n_bad++] = ms_xstrdup(rel);
        w->st->dir_errors += (size_t)w->report;
        return;
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        size_t al = strlen(abs) + strlen(de->d_name) + 2;
        size_t rl = strlen(rel) + strlen(de->d_name) + 2;
        if (ignored(w, rel, de->d_name))
            continue;
        char *a = ms_xrealloc(NULL, al), *r = ms_xrealloc(NULL, rl);
        snprintf(a, al, "%s/%s", abs, de->d_name);
        snprintf(r, rl, "%s%s%s", rel, rel[0] ? "/" : "", de->d_name);
        struct stat sb;
        int link = lstat(a, &sb) == 0 && S_ISLNK(sb.st_mode);
        if (link && !w->o->follow_symlinks && !leads_inside(w, a)) {
            walk_warn(w, a,
                      "symbolic link out of the corpus folder, skipped (--follow-symlinks "
                      "follows it)");
        } else if (stat(a, &sb) != 0) {
            int e = errno;
            char msg[256];
            snprintf(msg, sizeof msg, "cannot stat: %s", strerror(e));
            walk_warn(w, a, msg);
            int link = lstat(a, &sb) == 0 && S_ISLNK(sb.st_mode);
            if (!link || (e != ENOENT && e != ENOTDIR)) {
                /* it vanished during the walk, or cannot be resolved or read
                 * (EACCES, ELOOP, EIO, ... also through a symlink): keep what
                 * the index has. Only a dangling symlink counts as removed. */
                w->bad_dirs = ms_xrealloc(w->bad_dirs, (w->n_bad + 1) * sizeof *w->bad_dirs);
                w->bad_dirs[w->n_bad++] = ms_xstrdup(r);
                if (e != ENOENT)
                    w->st->dir_errors += (size_t)w->report;
            }
        } else if (S_ISDIR(sb.st_mode)) {
            int loop = 0;
            for (size_t i = 0; i < w->depth; i++)
                if (w->seen_dev[i] == sb.st_dev && w->seen_ino[i] == sb.st_ino)
                    loop = 1;
            if (loop) {
                walk_warn(w, a, "symlink loop: directory already on this path, skipped");
            } else {
                w->seen_dev = ms_xrealloc(w->seen_dev, (w->depth + 1) * sizeof *w->seen_dev);
                w->seen_ino = ms_xrealloc(w->seen_ino, (w->depth + 1) * sizeof *w->seen_ino);
                w->seen_dev[w->depth] = sb.st_dev;
                w->seen_ino[w->depth] = sb.st_ino;
                w->depth++;
                walk_dir(w, a, r);
                w->depth--;
            }
        } else if (S_ISREG(sb.st_mode)) {
            ms_format f = format_of(w->o, de->d_name);
            if (f == MS_FMT_UNKNOWN) {
                w->st->files_unknown += (size_t)w->report;
            } else {
                if (w->n == w->cap) {
                    w->cap = w->cap ? w->cap * 2 : 256;
                    w->v = ms_xrealloc(w->v, w->cap * sizeof *w->v);
                }
                file_ent *fe = &w->v[w->n++];
                fe->rel = r;
                r = NULL;
                fe->fmt = f;
                fe->size = sb.st_size;
                fe->mtime = (long long)sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec;
            }
        }
        free(a);
        free(r);
    }
    closedir(d);
}

static int cmp_file(const void *a, const void *b)
{
    return strcmp(((const file_ent *)a)->rel, ((const file_ent *)b)->rel);
}

/* Whether rel lies below (or is) a directory that could not be read. */

int ms_walk_under_bad_dir(const walk *w, const char *rel)
{
    for (size_t i = 0; i < w->n_bad; i++) {
        size_t l = strlen(w->bad_dirs[i]);
        if (l == 0 || (strncmp(rel, w->bad_dirs[i], l) == 0 && (rel[l] == '/' || !rel[l])))
            return 1;
    }
    return 0;
}

int ms_walk_has(const walk *w, const char *rel)
{
    size_t lo = 0, hi = w->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(w->v[mid].rel, rel);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

void ms_walk_corpus(walk *w, const ms_index_opts *o, const struct stat *root, ms_index_stats *st)
{
    *w = (walk){.o = o, .st = st, .report = o->n_shards <= 1 || o->shard == 0};
    load_ignore(w);
    /* the root is on every path: a symlink back to it is a loop too */
    w->seen_dev = ms_xrealloc(NULL, sizeof *w->seen_dev);
    w->seen_ino = ms_xrealloc(NULL, sizeof *w->seen_ino);
    w->seen_dev[0] = root->st_dev;
    w->seen_ino[0] = root->st_ino;
    w->depth = 1;
    w->root = realpath(o->corpus, NULL);
    if (!w->root)
        w->root = ms_xstrdup(o->corpus);
    walk_dir(w, o->corpus, "");
    if (o->n_shards > 1) {
        size_t keep = 0;
        w->other = ms_xrealloc(NULL, (w->n + 1) * sizeof *w->other);
        for (size_t i = 0; i < w->n; i++) {
            if (shard_of(w->v[i].rel, o->n_shards) == o->shard)
                w->v[keep++] = w->v[i];
            else
                w->other[w->n_other++] = w->v[i];
        }
        w->n = keep;
    }
    if (w->n)
        qsort(w->v, w->n, sizeof *w->v, cmp_file);
    st->files_seen = w->n;
}

void ms_walk_free(walk *w)
{
    for (size_t i = 0; i < w->n_other; i++)
        free(w->other[i].rel);
    free(w->other);
    for (size_t i = 0; i < w->n; i++)
        free(w->v[i].rel);
    free(w->v);
    for (size_t i = 0; i < w->n_bad; i++)
        free(w->bad_dirs[i]);
    free(w->bad_dirs);
    free(w->seen_dev);
    free(w->seen_ino);
    for (size_t i = 0; i < w->n_ignore; i++)
        free(w->ignore[i]);
    free(w->ignore);
    free(w->root);
}

void ms_walk_site(const char *rel, char *site, size_t cap)
{
    snprintf(site, cap, "%s", rel);
    char *sl = strchr(site, '/');
    if (sl)
        *sl = '\0';
    else
        site[0] = '\0';
}
