/*
 * build.c - builds on several processes, and sharded indexes.
 *
 * Xapian's writer is single-threaded and most of a build's time is spent in
 * its inverter, so medsearch uses cores the way Xapian's own tools do: one
 * process per shard, each with its own WritableDatabase. For a fresh build
 * of a single index the shards are temporary and compacted into one at the
 * end (compaction merges postings and metadata much faster than one writer
 * could add them); for a sharded index (a directory holding shard-0 ...
 * shard-N-1 and a XAPIANDB stub that lists them, which Xapian opens as one
 * database) they are the index. A file's shard is fixed by a hash of its
 * path, so incremental runs keep every article in its shard.
 *
 * Children report progress through a shared memory page that the parent
 * sums; the parent forwards SIGINT/SIGTERM to them, so every shard stops at
 * a clean commit.
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/util.h"
#include "index/index.h"
#include "index/layout.h"
#include "xapian/xapian.h"

#define MAX_SHARDS 64

/* Documents a part of a parallel build holds before Xapian writes them out
 * (its XAPIAN_FLUSH_THRESHOLD, unless the user set one). A part is thrown
 * away if the build dies, so this is about memory and speed, not safety:
 * Xapian's inverter keeps the pending documents in maps that grow with them.
 * On MedQuAD (3.6 passages a file) 150 documents peaked at 17 MB against 56
 * MB for --batch's 200 files, in the same or slightly less CPU time; 1000
 * files took 15% more. Counting documents, not files, keeps that bound for
 * corpora of long articles too. */
#define PART_FLUSH_DOCS "150"

/* What a child leaves for the parent in shared memory. */
typedef struct child_slot {
    ms_index_progress progress;
    int planned; /* it has reported its share of the work */
    ms_index_stats stats;
    int rc;
    ms_error err;
} child_slot;

static void child_progress(void *ctx, const ms_index_progress *p)
{
    ((child_slot *)ctx)->progress = *p;
    ((child_slot *)ctx)->planned = 1;
}

static void add_stats(ms_index_stats *a, const ms_index_stats *b)
{
    a->files_seen += b->files_seen;
    a->files_unknown += b->files_unknown;
    a->files_indexed += b->files_indexed;
    a->files_unchanged += b->files_unchanged;
    a->files_removed += b->files_removed;
    a->files_failed += b->files_failed;
    a->files_failed_kept += b->files_failed_kept;
    a->passages_added += b->passages_added;
    a->passages_removed += b->passages_removed;
    a->bytes_read += b->bytes_read;
    a->boiler_lines += b->boiler_lines;
    a->boiler_bytes += b->boiler_bytes;
    for (size_t i = 0; i < b->n_sources; i++)
        ms_stats_add_source(a, b->sources[i].name, b->sources[i].files, b->sources[i].lines,
                            b->sources[i].bytes);
    a->invalid_utf8 += b->invalid_utf8;
    a->dir_errors += b->dir_errors;
    a->vanished += b->vanished;
    a->interrupted |= b->interrupted;
}

/* Report the progress of all n parts as one: once each has said what its
 * share is, or (final) when all have ended. */
static void report_sum(const ms_index_opts *o, const child_slot *slots, unsigned n, int final)
{
    ms_index_progress sum = {0};
    for (unsigned i = 0; i < n; i++) {
        if (!slots[i].planned && !final)
            return;
        sum.files_done += slots[i].progress.files_done;
        sum.files_total += slots[i].progress.files_total;
        sum.bytes_done += slots[i].progress.bytes_done;
        sum.bytes_total += slots[i].progress.bytes_total;
        if (slots[i].progress.seconds > sum.seconds)
            sum.seconds = slots[i].progress.seconds;
    }
    if (o->progress && sum.files_total)
        o->progress(o->progress_ctx, &sum);
}

/* Run ms_index_run for shard i of n into dbs[i], jobs processes at a time.
 * Returns 0 or -1 (the first child's error in err). */
static int run_shards(const ms_index_opts *o, char *const *dbs, unsigned n, unsigned jobs,
                      ms_index_stats *st, ms_error *err)
{
    child_slot *slots =
        mmap(NULL, n * sizeof *slots, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (slots == MAP_FAILED)
        return ms_fail(err, MS_ENOMEM, "cannot share memory with the build processes: %s",
                       strerror(errno));
    memset(slots, 0, n * sizeof *slots);
    /* SIGCHLD stays pending while blocked, so the wait below ends as soon as
     * a child exits: the merge of the parts starts without a polling delay */
    sigset_t chld, mask;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, &mask);
    pid_t pids[MAX_SHARDS] = {0};
    unsigned started = 0, running = 0, done = 0;
    int forwarded = 0;
    while (done < n) {
        while (started < n && running < jobs && !(o->stop && *o->stop)) {
            fflush(NULL);
            pid_t parent = getpid();
            pid_t pid = fork();
            if (pid < 0) {
                slots[started].rc =
                    ms_fail(&slots[started].err, MS_EIO, "fork: %s", strerror(errno));
                started++;
                done++;
                continue;
            }
            if (pid == 0) {
                /* die with the parent, even when it is killed with SIGKILL: its
                 * temporary shards are of no use without it (and are removed
                 * by the next build) */
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                if (getppid() != parent)
                    _exit(1);
                sigprocmask(SIG_SETMASK, &mask, NULL);
                if (o->scratch)
                    setenv("XAPIAN_FLUSH_THRESHOLD", PART_FLUSH_DOCS, 0);
                ms_index_opts co = *o;
                co.write_to = dbs[started];
                co.shard = started;
                co.n_shards = n;
                co.progress = child_progress;
                co.progress_ctx = &slots[started];
                child_slot *s = &slots[started];
                s->rc = ms_index_run(&co, &s->stats, &s->err);
                _exit(0);
            }
            pids[started++] = pid;
            running++;
        }
        if (o->stop && *o->stop) {
            if (!forwarded)
                for (unsigned i = 0; i < started; i++)
                    if (pids[i] > 0)
                        kill(pids[i], *o->stop);
            forwarded = 1;
            done += n - started; /* start no more */
            started = n;
        }
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid > 0) {
            for (unsigned i = 0; i < n; i++)
                if (pids[i] == pid) {
                    pids[i] = -1;
                    /* stopped in the middle of a file by the signal it was
                     * sent (see ms_index_in_file): what it committed stays */
                    if (forwarded && WIFEXITED(status) && WEXITSTATUS(status) == 128 + *o->stop)
                        slots[i].stats.interrupted = 1;
                    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                        slots[i].rc = ms_fail(&slots[i].err, MS_EINDEX,
                                              "%s: build process died (status %d)", dbs[i], status);
                }
            running--;
            done++;
            continue;
        }
        /* the whole corpus: only once every part has said what its share is */
        report_sum(o, slots, n, 0);
        /* a child's exit, SIGINT/SIGTERM (EINTR) or time for progress */
        struct timespec ts = {0, 50 * 1000 * 1000};
        sigtimedwait(&chld, NULL, &ts);
    }
    sigprocmask(SIG_SETMASK, &mask, NULL);
    report_sum(o, slots, n, 1);
    int rc = 0;
    for (unsigned i = 0; i < n; i++) {
        add_stats(st, &slots[i].stats);
        if (slots[i].rc < 0 && rc == 0) {
            rc = -1;
            if (err)
                *err = slots[i].err;
        }
    }
    munmap(slots, n * sizeof *slots);
    return rc;
}

/* The shard databases of a sharded index at dir: dir/shard-<i>. */
static char **shard_paths(const char *dir, unsigned n)
{
    char **v = calloc(n, sizeof *v);
    for (unsigned i = 0; v && i < n; i++) {
        size_t len = strlen(dir) + 32;
        v[i] = malloc(len);
        if (!v[i])
            return v; /* the caller sees the NULL entry */
        snprintf(v[i], len, "%s/shard-%u", dir, i);
    }
    return v;
}

static void free_paths(char **v, unsigned n)
{
    for (unsigned i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

static int write_stub(const char *dir, unsigned n, ms_error *err)
{
    char text[MAX_SHARDS * 24] = "";
    size_t len = 0;
    for (unsigned i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, "auto shard-%u\n", i);
    return ms_layout_write_stub(dir, text, err);
}

/* Replace the shard at path with a compacted copy. A reader that opens the
 * sharded index while the two are exchanged may fail and open it again. */
static int compact_shard(const char *path, ms_error *err)
{
    char tmp[4200], old[4200];
    snprintf(tmp, sizeof tmp, "%s.compact-tmp", path);
    snprintf(old, sizeof old, "%s.compact-old", path);
    ms_rm_tree(tmp);
    msx_error xe;
    const char *src[1] = {path};
    if (msx_compact(src, 1, tmp, &xe) != MSX_OK) {
        ms_rm_tree(tmp);
        return ms_fail(err, MS_EINDEX, "%s: compaction failed: %s", path, xe.msg);
    }
    if (rename(path, old) != 0 || rename(tmp, path) != 0) {
        int e = errno;
        rename(old, path);
        ms_rm_tree(tmp);
        return ms_fail(err, MS_EINDEX, "%s: cannot put the compacted shard in place: %s", path,
                       strerror(e));
    }
    ms_rm_tree(old);
    return 0;
}

static int build_sharded(const ms_index_opts *o, unsigned n, unsigned jobs, ms_index_stats *st,
                         ms_error *err)
{
    /* a dry run writes nothing, not even the directory (its shards are planned
     * against empty indexes) */
    int lock = -1;
    if (!o->dry_run && ms_layout_lock(o->db_path, o->wait_lock, o->stop, &lock, err) < 0)
        return -1;
    char **dbs = shard_paths(o->db_path, n);
    int rc = dbs && dbs[n - 1] ? 0 : ms_fail(err, MS_ENOMEM, "out of memory");
    if (rc == 0 && !o->dry_run)
        rc = write_stub(o->db_path, n, err);
    if (rc == 0)
        rc = run_shards(o, dbs, n, jobs, st, err);
    for (unsigned i = 0; rc == 0 && o->compact && !o->dry_run && !st->interrupted && i < n; i++)
        rc = compact_shard(dbs[i], err);
    free_paths(dbs, n);
    ms_layout_unlock(lock);
    return rc;
}

/* Build a new generation of the single index at db afresh into out,
 * beside the current one: on one process straight into it; on more, as jobs
 * parts (db/part-<i>) built in parallel and compacted into it (compaction
 * merges postings and metadata much faster than one writer could add them).
 * The caller holds the writers' lock and publishes the generation. */
static int build_gen(const ms_index_opts *o, const char *db, const char *out, unsigned jobs,
                     ms_index_stats *st, ms_error *err)
{
    ms_index_opts co = *o;
    co.rebuild = 1;
    if (jobs == 1) {
        co.write_to = out;
        co.aside = 1;
        return ms_index_run(&co, st, err);
    }
    char **dbs = calloc(jobs, sizeof *dbs);
    int rc = dbs ? 0 : ms_fail(err, MS_ENOMEM, "out of memory");
    for (unsigned i = 0; rc == 0 && i < jobs; i++) {
        dbs[i] = malloc(strlen(db) + 32);
        if (!dbs[i])
            rc = ms_fail(err, MS_ENOMEM, "out of memory");
        else
            snprintf(dbs[i], strlen(db) + 32, "%s/part-%u", db, i + 1);
    }
    co.scratch = 1; /* only the compacted generation must survive a crash */
    if (rc == 0)
        rc = run_shards(&co, dbs, jobs, jobs, st, err);
    /* Even an interrupted build keeps what its parts committed. */
    if (rc == 0) {
        msx_error xe;
        if (msx_compact((const char *const *)dbs, jobs, out, &xe) != MSX_OK)
            rc = ms_fail(err, MS_EINDEX, "%s: merging the parts failed: %s", db, xe.msg);
    }
    for (unsigned i = 0; dbs && i < jobs; i++) {
        if (dbs[i])
            ms_rm_tree(dbs[i]);
        free(dbs[i]);
    }
    free(dbs);
    return rc;
}

/* Compact the current database of the single index db (lock held) into a
 * new generation and publish it. */
static int compact_gen(const char *db, const char *cur, ms_error *err)
{
    unsigned gen = ms_layout_next_gen(db);
    char out[4200];
    ms_layout_gen_path(db, gen, out, sizeof out);
    msx_error xe;
    const char *src[1] = {cur};
    if (msx_compact(src, 1, out, &xe) != MSX_OK) {
        ms_rm_tree(out);
        return ms_fail(err, MS_EINDEX, "%s: compaction failed: %s", db, xe.msg);
    }
    if (ms_layout_publish(db, gen, err) < 0) {
        ms_rm_tree(out);
        return -1;
    }
    ms_layout_clean(db, (int)gen);
    return 0;
}

/* Create generation gen of the single index db, at path, empty, and
 * publish it. */
static int start_gen(const char *db, unsigned gen, const char *path, ms_error *err)
{
    msx_wdb *w = NULL;
    msx_error xe;
    if (msx_wdb_open(path, MSX_WDB_CREATE_OR_OPEN, &w, &xe) != MSX_OK ||
        msx_wdb_close(w, &xe) != MSX_OK)
        return ms_fail(err, MS_EINDEX, "%s: cannot create the index: %s", db, xe.msg);
    return ms_layout_publish(db, gen, err);
}

/* Build a new generation of the single index db and switch to it when it
 * is complete, or when it is the first one, even interrupted (what it
 * committed is better than no index). An interrupted rebuild is dropped. */
static int replace_gen(const ms_index_opts *o, unsigned jobs, int first, char *cur, size_t cap,
                       ms_index_stats *st, ms_error *err)
{
    unsigned gen = ms_layout_next_gen(o->db_path);
    ms_layout_gen_path(o->db_path, gen, cur, cap);
    int rc = build_gen(o, o->db_path, cur, jobs, st, err);
    if (rc == 0 && st->interrupted && !first) {
        st->dropped = 1;
        ms_rm_tree(cur);
        return 0;
    }
    /* A rebuild that could not see the whole corpus would lose what the
     * index has of the rest: it is dropped. */
    if (rc == 0 && !first && (st->dir_errors || st->vanished))
        rc = ms_fail(err, MS_EIO,
                     "%s: %s while it was rebuilt: the rebuild is dropped, the index is as it "
                     "was",
                     o->corpus,
                     st->dir_errors ? "some folders could not be read" : "files went missing");
    else if (rc == 0 && !first && st->files_indexed + st->files_unchanged == 0)
        rc = ms_fail(err, MS_EUSAGE,
                     "%s: no file to index: the rebuild is dropped, the index is as it was (to "
                     "start over, delete %s)",
                     o->corpus, o->db_path);
    if (rc == 0)
        rc = ms_layout_publish(o->db_path, gen, err);
    if (rc < 0)
        ms_rm_tree(cur);
    else
        ms_layout_clean(o->db_path, (int)gen);
    return rc;
}

/* A single index (see layout.c), with the writers' lock held for the whole
 * run: a rebuild, or a first build on several processes, makes a new
 * generation (replace_gen); a first build on one process starts an empty
 * one and fills it in place, batch by batch, as an update does, so that a
 * killed one is resumed by the next run; other runs update the current
 * generation in place. */
static int build_single(const ms_index_opts *o, unsigned jobs, ms_index_stats *st, ms_error *err)
{
    char cur[4200];
    int have = ms_layout_current(o->db_path, cur, sizeof cur);
    ms_index_opts ro = *o;
    ro.write_to = cur;
    if (o->dry_run) { /* writes nothing, takes no lock */
        ro.rebuild = o->rebuild || have < 0;
        return ms_index_run(&ro, st, err);
    }
    int lock;
    if (ms_layout_lock(o->db_path, o->wait_lock, o->stop, &lock, err) < 0)
        return -1;
    have = ms_layout_current(o->db_path, cur, sizeof cur); /* as the last writer left it */
    ms_layout_clean(o->db_path, have > 0 ? have : -1);     /* leftovers of killed runs */
    int rc = 0;
    if (have < 0 && jobs == 1) {
        unsigned gen = ms_layout_next_gen(o->db_path);
        ms_layout_gen_path(o->db_path, gen, cur, sizeof cur);
        rc = start_gen(o->db_path, gen, cur, err);
        if (rc == 0)
            rc = ms_index_run(&ro, st, err);
    } else if (o->rebuild || have < 0) {
        rc = replace_gen(o, jobs, have < 0, cur, sizeof cur, st, err);
        if (st->dropped)
            ms_layout_current(o->db_path, cur, sizeof cur);
    } else {
        rc = ms_index_run(&ro, st, err);
    }
    if (rc == 0 && o->compact && !st->interrupted)
        rc = compact_gen(o->db_path, cur, err);
    ms_layout_unlock(lock);
    return rc;
}

int ms_index_build(const ms_index_opts *opts, unsigned jobs, ms_index_stats *st, ms_error *err)
{
    memset(st, 0, sizeof *st);
    double t0 = ms_now();
    /* nothing is created before the corpus is found */
    struct stat cs;
    if (stat(opts->corpus, &cs) != 0)
        return ms_fail(err, MS_EIO, "%s: %s", opts->corpus, strerror(errno));
    if (!S_ISDIR(cs.st_mode))
        return ms_fail(err, MS_EIO, "%s: not a directory", opts->corpus);
    if (jobs < 1)
        jobs = 1;
    if (jobs > MAX_SHARDS)
        jobs = MAX_SHARDS;
    ms_index_opts ro = *opts;
    const ms_index_opts *o = &ro;
    char dir[4200];
    struct stat sb;
    if (stat(opts->db_path, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
        /* --db DIR/XAPIANDB (the stub medquery accepts too) means DIR; any
         * other file is no index, and fails before anything is built */
        const char *slash = strrchr(opts->db_path, '/');
        char *text = NULL;
        if (slash && strcmp(slash + 1, "XAPIANDB") == 0) {
            snprintf(dir, sizeof dir, "%.*s", (int)(slash - opts->db_path), opts->db_path);
            if (!dir[0])
                snprintf(dir, sizeof dir, "/");
            text = ms_layout_read_stub(dir);
        }
        int ours = text && (ms_layout_stub_gen(text) || ms_layout_shards(dir));
        free(text);
        if (!ours)
            return ms_fail(err, MS_EINDEX, "%s: not a database directory (it is a file)",
                           opts->db_path);
        ro.db_path = dir;
    }
    /* DIR/shard-N alone would take every file of the corpus, not only the
     * files of its shard */
    size_t len = strlen(o->db_path);
    while (len > 1 && o->db_path[len - 1] == '/')
        len--;
    size_t pl = len;
    while (pl > 0 && o->db_path[pl - 1] != '/')
        pl--;
    const char *leaf = o->db_path + pl;
    size_t ll = len - pl;
    if (ll > 6 && strncmp(leaf, "shard-", 6) == 0 && strspn(leaf + 6, "0123456789") == ll - 6) {
        char pdir[4200];
        snprintf(pdir, sizeof pdir, "%.*s", (int)(pl > 1 ? pl - 1 : pl), o->db_path);
        if (!pdir[0])
            snprintf(pdir, sizeof pdir, ".");
        if (ms_layout_shards(pdir) > (unsigned)atoi(leaf + 6))
            return ms_fail(err, MS_EUSAGE,
                           "%s: is a shard of the sharded index %s: update that one (--db %s)",
                           o->db_path, pdir, pdir);
    }
    int state = ms_dir_state(o->db_path);
    unsigned have = ms_layout_shards(o->db_path);
    /* files of one's own next to a sharded index's (a stub file, say) are
     * left alone; any other directory of other files is no index */
    if (state == MS_DIR_OTHER && !have)
        return ms_fail(err, MS_EINDEX,
                       "%s: not a medsearch index (a directory of other files): use another --db",
                       o->db_path);
    unsigned want = o->n_shards ? o->n_shards : have;
    if (want > MAX_SHARDS)
        return ms_fail(err, MS_EUSAGE, "at most %d shards", MAX_SHARDS);
    if (have && o->n_shards && have != o->n_shards)
        return ms_fail(err, MS_EUSAGE,
                       "%s: index has %u shards, not %u: keep --shards %u or use another --db",
                       o->db_path, have, o->n_shards, have);
    if (!have && want > 1 && state == MS_DIR_XAPIAN)
        return ms_fail(err, MS_EUSAGE, "%s: is a single index; give a new --db for a sharded one",
                       o->db_path);
    int rc;
    if (want > 1)
        rc = build_sharded(o, want, jobs, st, err);
    else
        rc = build_single(o, jobs, st, err);
    st->seconds = ms_now() - t0;
    return rc;
}
