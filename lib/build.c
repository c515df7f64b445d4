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
#define _GNU_SOURCE /* MAP_ANONYMOUS, renameat2 */
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

#include "medsearch/index.h"
#include "medsearch/xapian.h"
#include "util.h"

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
    ms_index_stats stats;
    int rc;
    ms_error err;
} child_slot;

static int rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    return type == FTW_DP ? rmdir(path) : unlink(path);
}

static void rm_tree(const char *path)
{
    nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static void child_progress(void *ctx, const ms_index_progress *p)
{
    ((child_slot *)ctx)->progress = *p;
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
    a->interrupted |= b->interrupted;
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
                co.db_path = dbs[started];
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
                    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                        slots[i].rc = ms_fail(&slots[i].err, MS_EINDEX,
                                              "%s: build process died (status %d)", dbs[i], status);
                }
            running--;
            done++;
            continue;
        }
        if (o->progress) {
            ms_index_progress sum = {0};
            for (unsigned i = 0; i < n; i++) {
                sum.files_done += slots[i].progress.files_done;
                sum.files_total += slots[i].progress.files_total;
                sum.bytes_done += slots[i].progress.bytes_done;
                sum.bytes_total += slots[i].progress.bytes_total;
                if (slots[i].progress.seconds > sum.seconds)
                    sum.seconds = slots[i].progress.seconds;
            }
            if (sum.files_total)
                o->progress(o->progress_ctx, &sum);
        }
        /* a child's exit, SIGINT/SIGTERM (EINTR) or time for progress */
        struct timespec ts = {0, 50 * 1000 * 1000};
        sigtimedwait(&chld, NULL, &ts);
    }
    sigprocmask(SIG_SETMASK, &mask, NULL);
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

/* Number of "auto shard-N" lines in the stub file at path, or 0. */
static unsigned stub_file_shards(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    unsigned n = 0;
    char line[512];
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "auto shard-", 11) == 0)
            n++;
    fclose(f);
    return n;
}

/* Number of shards listed in dir/XAPIANDB, or 0 when dir is no sharded index. */
static unsigned stub_shards(const char *dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/XAPIANDB", dir);
    return stub_file_shards(path);
}

static int write_stub(const char *dir, unsigned n, ms_error *err)
{
    char path[4200], tmp[4300];
    snprintf(path, sizeof path, "%s/XAPIANDB", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return ms_fail(err, MS_EIO, "%s: %s", tmp, strerror(errno));
    for (unsigned i = 0; i < n; i++)
        fprintf(f, "auto shard-%u\n", i);
    if (fclose(f) != 0 || rename(tmp, path) != 0)
        return ms_fail(err, MS_EIO, "%s: %s", path, strerror(errno));
    return 0;
}

static int build_sharded(const ms_index_opts *o, unsigned n, unsigned jobs, ms_index_stats *st,
                         ms_error *err)
{
    /* a dry run writes nothing, not even the directory (its shards are planned
     * against empty indexes) */
    if (!o->dry_run && !is_dir(o->db_path) && mkdir(o->db_path, 0777) != 0)
        return ms_fail(err, MS_EIO, "%s: %s", o->db_path, strerror(errno));
    char **dbs = shard_paths(o->db_path, n);
    int rc = dbs && dbs[n - 1] ? 0 : ms_fail(err, MS_ENOMEM, "out of memory");
    if (rc == 0 && !o->dry_run)
        rc = write_stub(o->db_path, n, err);
    if (rc == 0)
        rc = run_shards(o, dbs, n, jobs, st, err);
    free_paths(dbs, n);
    return rc;
}

/* A fresh single index built as jobs temporary shards compacted into one. */
/* Remove the temporary databases of builds whose process is gone (killed
 * with SIGKILL): "<db>.build-<pid>..." and "<db>.old-<pid>". */
static void remove_stale_builds(const char *db)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s", db);
    char *slash = strrchr(dir, '/');
    const char *base = slash ? slash + 1 : db;
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    size_t bl = strlen(base);
    DIR *d = opendir(slash && !dir[0] ? "/" : dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        const char *n = de->d_name;
        if (strncmp(n, base, bl) != 0)
            continue;
        const char *rest = n + bl;
        long pid = 0;
        if (strncmp(rest, ".build-", 7) == 0)
            pid = strtol(rest + 7, NULL, 10);
        else if (strncmp(rest, ".old-", 5) == 0)
            pid = strtol(rest + 5, NULL, 10);
        if (pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH) {
            char path[8400];
            snprintf(path, sizeof path, "%s/%s", slash && !dir[0] ? "" : dir, n);
            rm_tree(path);
        }
    }
    closedir(d);
}

static int build_parallel(const ms_index_opts *o, unsigned jobs, ms_index_stats *st, ms_error *err)
{
    /* Hold the index's write lock until the swap; a fresh build creates an
     * empty index to hold it, so a second indexer is refused meanwhile. */
    msx_wdb *lock = NULL;
    int existed = is_dir(o->db_path);
    {
        msx_error xe;
        for (;;) {
            msx_status s = msx_wdb_open(o->db_path, existed ? MSX_WDB_OPEN : MSX_WDB_CREATE_OR_OPEN,
                                        &lock, &xe);
            if (s == MSX_OK || s != MSX_LOCKED || !o->wait_lock || (o->stop && *o->stop))
                break;
            struct timespec ts = {0, 100 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
        if (!lock && xe.status == MSX_LOCKED)
            return ms_fail(err, MS_ELOCKED,
                           "%s: locked by another indexer (wait for it, or use --wait)",
                           o->db_path);
    }
    char **dbs = calloc(jobs, sizeof *dbs);
    char all[4200], old[4200];
    snprintf(all, sizeof all, "%s.build-%ld", o->db_path, (long)getpid());
    snprintf(old, sizeof old, "%s.old-%ld", o->db_path, (long)getpid());
    int rc = dbs ? 0 : ms_fail(err, MS_ENOMEM, "out of memory");
    for (unsigned i = 0; rc == 0 && i < jobs; i++) {
        dbs[i] = malloc(strlen(all) + 16);
        if (!dbs[i])
            rc = ms_fail(err, MS_ENOMEM, "out of memory");
        else
            snprintf(dbs[i], strlen(all) + 16, "%s-%u", all, i);
    }
    ms_index_opts co = *o;
    co.rebuild = 1;
    co.scratch = 1; /* only the compacted index must survive a crash */
    if (rc == 0)
        rc = run_shards(&co, dbs, jobs, jobs, st, err);
    /* Even an interrupted build keeps what its shards committed. */
    if (rc == 0) {
        msx_error xe;
        if (msx_compact((const char *const *)dbs, jobs, all, &xe) != MSX_OK)
            rc = ms_fail(err, MS_EINDEX, "%s: merging the shards failed: %s", o->db_path, xe.msg);
    }
    msx_wdb_free(lock);
    int had = is_dir(o->db_path);
    if (rc == 0 && st->interrupted && existed) {
        /* a partial rebuild must not replace a whole index: keep the old one */
    } else if (rc == 0) {
        /* One atomic exchange where the file system has it: a reader that
           opens the index meanwhile finds the old one or the new one, never
           no index at all (it retries if it opened parts of both). */
        int swapped = had && renameat2(AT_FDCWD, all, AT_FDCWD, o->db_path, RENAME_EXCHANGE) == 0;
        if (swapped) {
            rm_tree(all); /* now the old index */
        } else if ((had && rename(o->db_path, old) != 0) || rename(all, o->db_path) != 0) {
            int e = errno;
            if (had)
                rename(old, o->db_path);
            rc = ms_fail(err, MS_EINDEX, "%s: cannot put the new index in place: %s", o->db_path,
                         strerror(e));
        } else if (had) {
            rm_tree(old);
        }
    }
    for (unsigned i = 0; dbs && i < jobs; i++) {
        if (dbs[i])
            rm_tree(dbs[i]);
        free(dbs[i]);
    }
    free(dbs);
    rm_tree(all);
    return rc;
}

int ms_index_build(const ms_index_opts *opts, unsigned jobs, ms_index_stats *st, ms_error *err)
{
    memset(st, 0, sizeof *st);
    double t0 = ms_now();
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
        if (!slash || strcmp(slash + 1, "XAPIANDB") != 0 || !stub_file_shards(opts->db_path))
            return ms_fail(err, MS_EINDEX, "%s: not a database directory (it is a file)",
                           opts->db_path);
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - opts->db_path), opts->db_path);
        if (!dir[0])
            snprintf(dir, sizeof dir, "/");
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
        char parent[4200], pdir[4200];
        snprintf(parent, sizeof parent, "%.*sXAPIANDB", (int)pl, o->db_path);
        snprintf(pdir, sizeof pdir, "%.*s", (int)(pl > 1 ? pl - 1 : pl), o->db_path);
        if (!pdir[0])
            snprintf(pdir, sizeof pdir, ".");
        if (stub_file_shards(parent) > (unsigned)atoi(leaf + 6))
            return ms_fail(err, MS_EUSAGE,
                           "%s: is a shard of the sharded index %s: update that one (--db %s)",
                           o->db_path, pdir, pdir);
    }
    int state = ms_dir_state(o->db_path);
    unsigned have = is_dir(o->db_path) ? stub_shards(o->db_path) : 0;
    /* files of one's own next to a sharded index's (a stub file, say) are
     * left alone; any other directory of other files is no index */
    if (state == MS_DIR_OTHER && !have)
        return ms_fail(err, MS_EINDEX,
                       "%s: not a medsearch index (a directory of other files): use another --db",
                       o->db_path);
    remove_stale_builds(o->db_path);
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
    else if (jobs > 1 && !o->dry_run && (o->rebuild || !is_dir(o->db_path)))
        rc = build_parallel(o, jobs, st, err);
    else
        rc = ms_index_run(o, st, err);
    st->seconds = ms_now() - t0;
    return rc;
}
