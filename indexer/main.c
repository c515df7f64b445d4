/*
 * medindex - build or update a medsearch index of a folder of articles.
 * Options, progress, signals and exit codes; the work is in libmedsearch.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "base/util.h"
#include "cli/cli.h"
#include "index/index.h"

enum {
    O_DB = 1,
    O_REBUILD,
    O_DRY_RUN,
    O_STATS,
    O_QUIET,
    O_WAIT,
    O_LANGUAGE,
    O_KEEP_ACCENTS,
    O_LEXICON,
    O_LEXICON_DIR,
    O_FORMAT_OF,
    O_BATCH,
    O_COMPACT,
    O_JOBS,
    O_SHARDS,
    O_FOLLOW,
};

static const ms_flag flags[] = {
    {O_DB, 0, "db", "PATH",
     "index to build or update (default $MEDSEARCH_DB, else "
     "./medsearch.db)",
     NULL},
    {O_REBUILD, 0, "rebuild", NULL, "start from an empty index (needed to change settings)", NULL},
    {O_DRY_RUN, 'n', "dry-run", NULL, "list what would be indexed or removed; change nothing",
     NULL},
    {O_STATS, 's', "stats", NULL, "print statistics of the index after the run", NULL},
    {O_QUIET, 'q', "quiet", NULL, "print only errors", NULL},
    {O_WAIT, 0, "wait", NULL, "wait for another indexer to finish instead of failing", NULL},
    {O_LANGUAGE, 0, "language", "LANG",
     "stemming language of the articles that do not say theirs (default english; none "
     "to turn stemming off)",
     NULL},
    {O_KEEP_ACCENTS, 0, "keep-accents", NULL, "do not fold accents (sjögren and sjogren differ)",
     NULL},
    {O_LEXICON, 0, "lexicon", "FILE", "also load this lexicon file (repeatable)", NULL},
    {O_LEXICON_DIR, 0, "lexicon-dir", "DIR",
     "lexicon directory (default $MEDSEARCH_LEXICON, else "
     "the installed one)",
     NULL},
    {O_FORMAT_OF, 0, "format-of", "EXT=FORMAT",
     "read files ending in .EXT as FORMAT (text, "
     "markdown, html); repeatable",
     NULL},
    {O_BATCH, 0, "batch", "N", "commit after every N files (default 200)", NULL},
    {O_COMPACT, 0, "compact", NULL,
     "compact the index after the run (smaller, faster to "
     "search)",
     NULL},
    {O_JOBS, 'j', "jobs", "N", "use N processes (default: the number of CPUs)", NULL},
    {O_SHARDS, 0, "shards", "N",
     "split the index into N shard databases (by file), searched as one through the "
     "XAPIANDB stub in --db",
     NULL},
    {O_FOLLOW, 0, "follow-symlinks", NULL,
     "follow symbolic links that lead out of CORPUS_DIR too (by default only those that stay "
     "inside it)",
     NULL},
    MS_STANDARD_FLAGS,
};

static const ms_man_section sections[] = {
    {"FILES AND FORMATS",
     "Files ending in .txt or .text are read as plain text, .md or .markdown as Markdown "
     "with front matter, .html, .htm or .xhtml as HTML; other files are skipped and counted. "
     "Hidden files and folders are skipped, and so are the files matching a glob pattern in "
     "CORPUS_DIR/.medsearchignore (one a line; a pattern with a slash matches the path from "
     "CORPUS_DIR, one without matches a name at any depth). A symbolic link is followed "
     "when its target lies inside CORPUS_DIR; one that leads out of it is skipped, with a "
     "warning, unless --follow-symlinks is given. Paths are stored relative to "
     "CORPUS_DIR, so an "
     "index moves with its corpus.\n"
     "\n"
     "A second run re-reads only files whose size or modification time changed (then their "
     "content decides), re-indexes them, and removes the passages of files that disappeared, "
     "but never below a folder that could not be read. Files that failed (unreadable, "
     "binary, UTF-16, too large, empty) are remembered with the reason and skipped until they "
     "change, and every run that skips them says how many and exits with status 1; --stats "
     "lists them.\n"
     "\n"
     "An HTML page that declares a charset other than UTF-8 (meta charset, http-equiv "
     "Content-Type, XML declaration) is decoded from it. An article that says its language "
     "(<html lang>, front matter lang:, Content-Language) is stemmed in it when Snowball "
     "has it, else in --language; medquery searches every language the index holds, and "
     "--stats lists the passages of each."},
    {"SAFETY",
     "Work is committed in batches: a killed run keeps what it committed and the next run "
     "repairs the rest. SIGINT or SIGTERM finish the current file, commit, and exit with 130 "
     "or 143. A --rebuild (and a first build on several processes, and --compact) writes a "
     "new generation of the index beside the old one and switches to it only when it is "
     "complete: an interrupted or killed rebuild leaves the index as it was, and so does a "
     "rebuild that could not read a folder of the corpus or found no file. A run that would "
     "remove every file of the index is refused. Searches keep working while the index is "
     "written; a second indexer on the same index is refused (or waits, with --wait)."},
    {"ENVIRONMENT", "MEDSEARCH_DB: the index when --db is not given.\n"
                    "MEDSEARCH_LEXICON: the lexicon directory when --lexicon-dir is not given.\n"
                    "XDG_CACHE_HOME: compiled lexicon images are kept in $XDG_CACHE_HOME/medsearch "
                    "(else ~/.cache/medsearch)."},
    {"EXIT STATUS",
     "0: the index is up to date\n1: some files failed, in this run or an earlier one and "
     "unchanged since (the rest is indexed)\n2: an "
     "error (nothing or only part was done)\n130, 143: interrupted by SIGINT, SIGTERM"},
};

static const ms_cli cli = {
    "medindex",
    "[OPTION]... CORPUS_DIR",
    "index a folder of medical articles for medquery",
    "medindex walks CORPUS_DIR, splits each article (plain text, Markdown, HTML) into "
    "passages, recognises drugs, symptoms and conditions, and writes a Xapian index that "
    "medquery searches. Run it again to bring the index up to date.",
    flags,
    sizeof flags / sizeof *flags,
    sections,
    sizeof sections / sizeof *sections};

static volatile int stop_signal;
static pid_t main_pid;

/* A run stops at its next file or passage; one that is still inside a
 * file half a second after the signal (a long parse) is ended here, its
 * index at the last commit, as after a kill (ms_index_in_file). Build
 * processes end silently: their parent reports. */
static void on_alarm(int sig)
{
    (void)sig;
    static const char kept[] =
        "medindex: interrupted; committed work is kept, run again to finish\n";
    static const char dropped[] =
        "medindex: interrupted; the rebuild is dropped, the index is as it was before it\n";
    int where = ms_index_in_file();
    if (!where)
        return;
    if (getpid() == main_pid) {
        ssize_t w = where == MS_IN_FILE_ASIDE ? write(STDERR_FILENO, dropped, sizeof dropped - 1)
                                              : write(STDERR_FILENO, kept, sizeof kept - 1);
        (void)w;
    }
    _exit(128 + stop_signal);
}

static void on_signal(int sig)
{
    stop_signal = sig;
    struct itimerval half = {{0, 0}, {0, 500 * 1000}};
    if (ms_index_in_file())
        setitimer(ITIMER_REAL, &half, NULL);
}

typedef struct ui {
    int quiet, tty;
    double last;
} ui;

static void on_progress(void *ctx, const ms_index_progress *p)
{
    ui *u = ctx;
    if (u->quiet || p->files_total == 0)
        return;
    double t = ms_now();
    int done = p->files_done == p->files_total;
    if (!done && (t - u->last < (u->tty ? 0.2 : 5.0) || (!u->tty && p->files_done == 0)))
        return;
    u->last = t;
    double mbs = p->seconds > 0 ? (double)p->bytes_done / 1e6 / p->seconds : 0;
    double eta =
        p->bytes_done > 0 ? p->seconds * ((double)p->bytes_total / (double)p->bytes_done - 1) : 0;
    if (u->tty) {
        int width = 30, fill = (int)(width * (double)p->files_done / (double)p->files_total);
        fprintf(stderr, "\r[%.*s%*s] %zu/%zu files  %.1f MB/s  ETA %.0fs ", fill,
                "##############################", width - fill, "", p->files_done, p->files_total,
                mbs, eta);
        if (done)
            fputc('\n', stderr);
    } else {
        fprintf(stderr, "medindex: %zu/%zu files, %.1f MB/s, ETA %.0fs\n", p->files_done,
                p->files_total, mbs, eta);
    }
}

static void on_warn(void *ctx, const char *path, const char *reason)
{
    ui *u = ctx;
    if (!u->quiet)
        ms_cli_say(&cli, stderr, "%s: %s", path, reason);
}

/* The program; main() owns (and frees) the arrays, so that no return path
 * leaves them allocated (LeakSanitizer builds report that). */
static int run(int argc, char **argv, ms_opt *opts, char **args, const char **lexfiles,
               ms_ext_format *exts)
{
    size_t n_opts, n_args;
    if (ms_cli_parse(&cli, argc, argv, opts, &n_opts, args, &n_args) < 0)
        return 2;
    ms_index_opts o = {0};
    o.db_path = getenv("MEDSEARCH_DB");
    if (!o.db_path || !*o.db_path)
        o.db_path = "medsearch.db";
    o.lexicon_files = lexfiles;
    o.ext_formats = exts;
    ui u = {0, isatty(STDERR_FILENO), 0};
    int stats = 0;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned jobs = cpus > 0 ? (unsigned)cpus : 1;
    for (size_t i = 0; i < n_opts; i++) {
        const char *a = opts[i].arg;
        int std = ms_cli_standard(&cli, &opts[i], NULL);
        if (std >= 0)
            return std;
        switch (opts[i].id) {
        case O_DB:
            o.db_path = a;
            break;
        case O_REBUILD:
            o.rebuild = 1;
            break;
        case O_DRY_RUN:
            o.dry_run = 1;
            break;
        case O_STATS:
            stats = 1;
            break;
        case O_QUIET:
            u.quiet = 1;
            break;
        case O_WAIT:
            o.wait_lock = 1;
            break;
        case O_LANGUAGE:
            o.language = a;
            break;
        case O_KEEP_ACCENTS:
            o.keep_accents = 1;
            break;
        case O_LEXICON:
            lexfiles[o.n_lexicon_files++] = a;
            break;
        case O_LEXICON_DIR:
            o.lexicon_dir = a;
            break;
        case O_FORMAT_OF: {
            const char *eq = strchr(a, '=');
            ms_format f = eq ? ms_format_from_name(eq + 1) : MS_FMT_UNKNOWN;
            if (!eq || eq == a || f == MS_FMT_UNKNOWN) {
                ms_cli_error(&cli,
                             "--format-of takes EXT=FORMAT with FORMAT text, markdown or "
                             "html, not '%s'",
                             a);
                return 2;
            }
            char *ext = strndup(a[0] == '.' ? a + 1 : a, (size_t)(eq - a) - (a[0] == '.'));
            if (!ext)
                return 2;
            exts[o.n_ext_formats].ext = ext;
            exts[o.n_ext_formats++].fmt = f;
            break;
        }
        case O_BATCH: {
            char *end;
            long v = strtol(a, &end, 10);
            if (!*a || *end || v < 1 || v > 1000000) {
                ms_cli_error(&cli, "--batch must be a whole number from 1 to 1000000, not '%s'", a);
                return 2;
            }
            o.batch_files = (size_t)v;
            break;
        }
        case O_COMPACT:
            o.compact = 1;
            break;
        case O_FOLLOW:
            o.follow_symlinks = 1;
            break;
        case O_JOBS:
        case O_SHARDS: {
            char *end;
            long v = strtol(a, &end, 10);
            if (!*a || *end || v < 1 || v > 64) {
                ms_cli_error(&cli, "--%s must be a whole number from 1 to 64, not '%s'",
                             opts[i].id == O_JOBS ? "jobs" : "shards", a);
                return 2;
            }
            if (opts[i].id == O_JOBS)
                jobs = (unsigned)v;
            else
                o.n_shards = (unsigned)v;
            break;
        }
        }
    }
    if (n_args != 1) {
        ms_cli_error(&cli,
                     n_args ? "give one CORPUS_DIR, not %zu"
                            : "no CORPUS_DIR given (see "
                              "--help)",
                     n_args);
        return 2;
    }
    o.corpus = args[0];
    size_t cl = strlen(o.corpus);
    while (cl > 1 && args[0][cl - 1] == '/')
        args[0][--cl] = '\0';
    o.progress = on_progress;
    o.progress_ctx = &u;
    o.warn = on_warn;
    o.warn_ctx = &u;
    o.stop = &stop_signal;
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    main_pid = getpid();
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    /* Past a file size limit (ulimit -f), a write must fail with EFBIG and
     * be reported, not kill the process with SIGXFSZ mid-commit. */
    signal(SIGXFSZ, SIG_IGN);

    ms_index_stats st;
    ms_error err;
    int rc = ms_index_build(&o, jobs, &st, &err);
    if (rc < 0) {
        ms_cli_error(&cli, "%s", err.msg);
        return stop_signal ? 128 + stop_signal : 2; /* e.g. stopped while waiting (--wait) */
    }
    if (!u.quiet)
        fprintf(stderr,
                "medindex: %s%zu files: %zu indexed, %zu unchanged, %zu removed, %zu failed; "
                "%zu passages added, %zu removed; %.2f s\n",
                o.dry_run ? "dry run: " : "", st.files_seen, st.files_indexed, st.files_unchanged,
                st.files_removed, st.files_failed + st.files_failed_kept, st.passages_added,
                st.passages_removed, st.seconds);
    /* failures of earlier runs are still failures: said, and the exit
       status is 1 until the files change */
    if (!u.quiet && st.files_failed_kept)
        fprintf(stderr,
                "medindex: %zu file%s that failed before %s unchanged and still skipped "
                "(--stats lists them)\n",
                st.files_failed_kept, st.files_failed_kept == 1 ? "" : "s",
                st.files_failed_kept == 1 ? "is" : "are");
    if (stats && !o.dry_run && ms_index_print_stats(o.db_path, &st, stdout, &err) < 0) {
        ms_cli_error(&cli, "%s", err.msg);
        return 2;
    }
    if (st.interrupted) {
        fprintf(stderr, st.dropped ? "medindex: interrupted; the rebuild is dropped, the index is "
                                     "as it was before it\n"
                                   : "medindex: interrupted; committed work is kept, run again "
                                     "to finish\n");
        return 128 + stop_signal;
    }
    return st.files_failed || st.files_failed_kept || st.dir_errors ? 1 : 0;
}

int main(int argc, char **argv)
{
    ms_opt *opts = calloc((size_t)argc + 1, sizeof *opts);
    char **args = calloc((size_t)argc + 1, sizeof *args);
    const char **lexfiles = calloc((size_t)argc + 1, sizeof *lexfiles);
    ms_ext_format *exts = calloc((size_t)argc + 1, sizeof *exts);
    int rc = opts && args && lexfiles && exts ? run(argc, argv, opts, args, lexfiles, exts) : 2;
    for (int i = 0; exts && i <= argc; i++)
        free((char *)exts[i].ext);
    free(exts);
    free(opts);
    free(args);
    free(lexfiles);
    return rc;
}
