/*
 * run.c - one run of the indexer: bringing an index up to date with its
 * corpus (ms_index_run).
 *
 * A run has three steps. The walk (walk.c) lists every file of a known
 * format under the corpus root. The plan compares that list with the F:
 * and E: records of the index (filerec.c): a file whose size and mtime are
 * those recorded is unchanged; otherwise it is read and its content hash
 * decides. The work then re-indexes changed and new files in batches, each
 * batch committed with the records that describe it, so that a killed run
 * loses at most its last batch; and finally removes the passages of files
 * that vanished, but never below a directory that could not be read, so a
 * permission error never deletes a subtree's documents.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/util.h"
#include "index/document.h"
#include "index/filerec.h"
#include "index/index.h"
#include "index/infile.h"
#include "index/layout.h"
#include "index/learn.h"
#include "index/settings.h"
#include "index/walk.h"
#include "xapian/xapian.h"

#define DEFAULT_BATCH 200

/* ---- removing a file's passages ---- */

/* Remove the passages of rel; returns how many there were, or -1. */
static long remove_file(msx_wdb *db, const char *rel, ms_error *err)
{
    char term[4300];
    size_t tl = ms_path_term(rel, term, sizeof term);
    unsigned n = 0;
    msx_error xe;
    if (msx_wdb_termfreq(db, term, tl, &n, &xe) != MSX_OK ||
        msx_wdb_delete_by_term(db, term, tl, &xe) != MSX_OK)
        return ms_fail(err, MS_EINDEX, "%s", xe.msg);
    return (long)n;
}

/* ---- the run ---- */

/* Open the index for writing. A dry run never creates or overwrites it: it
 * opens an existing index (*db stays NULL when there is none, or with
 * --rebuild, and the plan is made against an empty index).
 *
 * --rebuild opens the index as it is and clear_index() empties it in the
 * commit of the first batch: Xapian's DB_CREATE_OR_OVERWRITE truncates the
 * tables as it opens them, so readers would see an empty index and a kill at
 * that moment would leave one that cannot be opened. Only an index that cannot
 * be opened at all (or, with *fresh set on entry, one clear_index() cannot
 * empty) is overwritten; *fresh then tells the caller so. */
static int open_writer(const ms_index_opts *o, msx_wdb **db, int *fresh, ms_error *err)
{
    int nosync = o->scratch ? MSX_WDB_NO_SYNC : 0;
    int flags = o->dry_run ? MSX_WDB_OPEN
                : *fresh   ? MSX_WDB_OVERWRITE | nosync
                           : MSX_WDB_CREATE_OR_OPEN | nosync;
    struct stat sb;
    const char *path = o->write_to ? o->write_to : o->db_path;
    *db = NULL;
    if (stat(path, &sb) == 0 && !S_ISDIR(sb.st_mode))
        return ms_fail(err, MS_EINDEX, "%s: not a database directory (it is a file)", o->db_path);
    int state = ms_dir_state(path);
    if (state == MS_DIR_OTHER || state == MS_DIR_SHARDED)
        return ms_fail(err, MS_EINDEX,
                       "%s: not a medsearch index (a directory of other files): use another --db",
                       o->db_path);
    if (o->dry_run && (o->rebuild || state == MS_DIR_NONE))
        return 0;
    for (;;) {
        msx_error xe;
        msx_status st = msx_wdb_open(path, flags, db, &xe);
        if (st == MSX_OK)
            return 0;
        if (st == MSX_LOCKED && o->wait_lock && !(o->stop && *o->stop)) {
            struct timespec ts = {0, 100 * 1000 * 1000};
            nanosleep(&ts, NULL);
            continue;
        }
        if (st == MSX_LOCKED && o->wait_lock)
            return ms_fail(err, MS_ELOCKED, "%s: interrupted while waiting for another indexer",
                           o->db_path);
        if (st == MSX_LOCKED)
            return ms_fail(err, MS_ELOCKED,
                           "%s: locked by another indexer (wait for it, or use --wait)",
                           o->db_path);
        if (o->rebuild && !o->dry_run && flags != (MSX_WDB_OVERWRITE | nosync)) {
            flags = MSX_WDB_OVERWRITE | nosync; /* corrupt or unreadable: nothing to keep */
            *fresh = 1;
            continue;
        }
        return ms_fail(err, MS_EINDEX, "%s: cannot open database: %s", o->db_path, xe.msg);
    }
}

typedef struct keys_ctx {
    char **v;
    size_t n, cap;
} keys_ctx;

static int collect_key(void *ctx, const char *key, size_t len)
{
    keys_ctx *k = ctx;
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 256;
        k->v = ms_xrealloc(k->v, k->cap * sizeof *k->v);
    }
    char *s = ms_xrealloc(NULL, len + 1);
    memcpy(s, key, len);
    s[len] = '\0';
    k->v[k->n++] = s;
    return 0;
}

static int first_doc(void *ctx, msx_docid id)
{
    *(msx_docid *)ctx = id;
    return 1;
}

/* Keep the first term of a document (into the ms_sbuf ctx), and stop. */
static int first_term(void *ctx, const char *t, size_t len, unsigned wdf)
{
    (void)wdf;
    ms_sbuf *b = ctx;
    ms_sb_put(b, t, len);
    return 1;
}

/* Empty the index for --rebuild, uncommitted: the first batch's commit swaps
 * the old index for the new. Records go first, then the settings are set,
 * then the documents: should Xapian flush part of this early (past its
 * threshold of changed documents), what is committed has no record of any
 * file and the next run re-indexes them all, removing leftover passages by
 * path (index_file). Returns 1 when a document cannot be deleted (it has no
 * term: not ours), then the caller overwrites the index instead. */
static int clear_index(msx_wdb *db, const ms_index_opts *o, const char *settings, ms_error *err)
{
    msx_error xe;
    keys_ctx keys = {0};
    int rc = 0;
    if (msx_wdb_metadata_keys(db, "", collect_key, &keys, &xe) != MSX_OK)
        rc = ms_fail(err, MS_EINDEX, "%s: %s", o->db_path, xe.msg);
    for (size_t i = 0; i < keys.n; i++) {
        if (rc == 0 && msx_wdb_set_metadata(db, keys.v[i], "", 0, &xe) != MSX_OK)
            rc = ms_fail(err, MS_EINDEX, "%s: %s", o->db_path, xe.msg);
        free(keys.v[i]);
    }
    free(keys.v);
    if (rc == 0 &&
        msx_wdb_set_metadata(db, MS_SETTINGS_KEY, settings, strlen(settings), &xe) != MSX_OK)
        rc = ms_fail(err, MS_EINDEX, "%s: %s", o->db_path, xe.msg);
    /* our passages, by their format term; then anything else, by a term of its own */
    static const ms_format fmts[] = {MS_FMT_TEXT, MS_FMT_MARKDOWN, MS_FMT_HTML};
    for (size_t i = 0; rc == 0 && i < sizeof fmts / sizeof *fmts; i++) {
        char term[64];
        int tl = snprintf(term, sizeof term, "XFMT%s", ms_format_name(fmts[i]));
        if (msx_wdb_delete_by_term(db, term, (size_t)tl, &xe) != MSX_OK)
            rc = ms_fail(err, MS_EINDEX, "%s: %s", o->db_path, xe.msg);
    }
    while (rc == 0) {
        unsigned n = 0;
        msx_docid id = 0;
        msx_doc *doc = NULL;
        ms_sbuf tb = {0};
        if (msx_wdb_doccount(db, &n, &xe) != MSX_OK ||
            (n > 0 && msx_wdb_postings(db, "", 0, first_doc, &id, &xe) != MSX_OK)) {
            rc = ms_fail(err, MS_EINDEX, "%s: %s", o->db_path, xe.msg);
            break;
        }
        if (n == 0)
            break;
        if (id == 0 || msx_wdb_get_document(db, id, &doc, &xe) != MSX_OK ||
            msx_doc_terms(doc, "", first_term, &tb, &xe) != MSX_OK || tb.n == 0) {
            msx_doc_free(doc);
            free(tb.p);
            return 1;
        }
        msx_doc_free(doc);
        if (msx_wdb_delete_by_term(db, tb.p, tb.n, &xe) != MSX_OK)
            rc = ms_fail(err, MS_EINDEX, "%s: %s", o->db_path, xe.msg);
        free(tb.p);
    }
    return rc;
}

static void progress(const ms_index_opts *o, const ms_index_progress *p)
{
    if (o->progress)
        o->progress(o->progress_ctx, p);
}

/* Leave the file rel out of the index, its passages and its records: a
 * signal came while its passages were added. The next run indexes it as a
 * new file. */
static int leave_out(msx_wdb *db, const char *rel, ms_error *err)
{
    if (remove_file(db, rel, err) < 0)
        return -1;
    ms_frec_del(db, "F:", rel);
    ms_frec_del(db, "E:", rel);
    return ms_krec_del(db, rel);
}

/* Index one changed or new file; fills rec. Returns 0, or -1 on an index
 * error (a file that cannot be read or parsed is a failure, not an error). */
static int index_one(msx_wdb *db, ms_builder *b, const ms_index_opts *o, const file_ent *f,
                     ms_learned *L, size_t fi, ms_index_stats *st, ms_error *err)
{
    ms_bp_keys *keys = &L->keys[fi];
    char site[256];
    ms_walk_site(f->rel, site, sizeof site);
    char abs[4200], reason[200] = "";
    snprintf(abs, sizeof abs, "%s/%s", o->corpus, f->rel);
    size_t max = o->max_file_bytes ? o->max_file_bytes : MS_MAX_FILE;
    size_t len = 0;
    char *data = ms_read_file(abs, max, &len, reason, sizeof reason);
    frec old_f, old_e, rec = {f->size, f->mtime, 0, 0, ""};
    int had = ms_frec_get(db, "F:", f->rel, &old_f);
    int had_err = ms_frec_get(db, "E:", f->rel, &old_e);
    if (data) {
        st->bytes_read += len;
        rec.hash = ms_fnv1a(MS_FNV_BASIS, data, len);
        if (had && old_f.hash == rec.hash && !ms_krec_stale(db, f->rel, L->bp)) {
            free(data);
            rec.passages = old_f.passages;
            st->files_unchanged++;
            return ms_frec_put(db, "F:", f->rel, &rec, err); /* touched, same content */
        }
    } else if (strncmp(reason, "too large", 9) != 0) {
        /* It could not be read (permissions, I/O): that says nothing of its
         * content, and a chmod does not change its mtime. Keep what the index
         * has, and record the failure so that it is retried on every run. */
        ms_index_warn(o, abs, reason);
        st->files_failed++;
        st->vanished += access(abs, F_OK) != 0 && errno == ENOENT;
        if (had)
            return 0; /* its F: record no longer matches: retried next run */
        rec.mtime = -1;
        snprintf(rec.reason, sizeof rec.reason, "%s", reason);
        ms_krec_del(db, f->rel);
        return ms_frec_put(db, "E:", f->rel, &rec, err);
    }
    ms_article a;
    ms_error perr;
    ms_bp_keys asked = {0};
    int parsed = 0;
    if (data) {
        if (!(L->state[fi] & MS_LEARN_READ)) { /* cut again: its lines as they are */
            ms_boilerplate_keys(site, data, len, f->fmt, keys);
            L->state[fi] |= MS_LEARN_READ;
        }
        const char *slash = strrchr(f->rel, '/');
        ms_article_opts ao = {0, L->bp, site, slash ? slash + 1 : f->rel};
        ms_boilerplate_trace(L->bp, &asked);
        parsed = ms_article_parse(data, len, f->fmt, &ao, &a, &perr) == 0;
        ms_boilerplate_trace(L->bp, NULL);
        ms_bp_keys_sort(&asked);
        if (!parsed)
            snprintf(reason, sizeof reason, "%.180s", perr.msg);
    }
    /* what the table counts of it (nothing when it could not be read), and
     * what its cut asked */
    int krc = data ? ms_krec_put(db, o->db_path, f->rel, keys, parsed ? &asked : NULL, err)
                   : ms_krec_del(db, f->rel);
    ms_bp_keys_free(&asked);
    ms_bp_keys_free(keys);
    if (krc < 0) {
        if (parsed)
            ms_article_free(&a);
        free(data);
        return -1;
    }
    {
        /* also without a record: a batch that Xapian flushed early may have
         * committed some of its passages before a kill */
        long n = remove_file(db, f->rel, err);
        if (n < 0) {
            if (parsed)
                ms_article_free(&a);
            free(data);
            return -1;
        }
        st->passages_removed += (size_t)n;
    }
    if (!parsed) {
        free(data);
        ms_index_warn(o, abs, reason);
        st->files_failed++;
        if (had)
            ms_frec_del(db, "F:", f->rel);
        snprintf(rec.reason, sizeof rec.reason, "%s", reason);
        return ms_frec_put(db, "E:", f->rel, &rec, err);
    }
    if (had_err)
        ms_frec_del(db, "E:", f->rel);
    char art[300];
    ms_article_id(&a, f->rel, art, sizeof art);
    int rc = 0;
    ms_builder_article(b, f->rel, art, &a);
    for (size_t i = 0; i < a.n_passages && rc == 0; i++) {
        if (o->stop && *o->stop) { /* in a long file: it is left out whole */
            ms_article_free(&a);
            free(data);
            st->interrupted = 1; /* also when it was the last file */
            return leave_out(db, f->rel, err);
        }
        msx_doc *doc = ms_builder_passage(b, f->rel, art, &a, i);
        msx_error xe;
        if (!doc)
            rc = ms_fail(err, MS_ENOMEM, "out of memory");
        else if (msx_wdb_add_document(db, doc, NULL, &xe) != MSX_OK)
            rc = ms_fail(err, MS_EINDEX, "%s: %s", o->db_path, xe.msg);
        msx_doc_free(doc);
    }
    rec.passages = (unsigned)a.n_passages;
    st->passages_added += a.n_passages;
    st->boiler_lines += a.boiler_lines;
    st->boiler_bytes += a.boiler_bytes;
    char top[64];
    snprintf(top, sizeof top, "%.*s", (int)strcspn(f->rel, "/"), f->rel);
    ms_stats_add_source(st,
                        a.source && a.source[0] ? a.source
                        : strchr(f->rel, '/')   ? top
                                                : "(top)",
                        1, a.boiler_lines, a.boiler_bytes);
    st->files_indexed++;
    size_t invalid = ms_builder_invalid(b);
    if (invalid) {
        char msg[100];
        snprintf(msg, sizeof msg, "%zu invalid UTF-8 bytes skipped", invalid);
        ms_index_warn(o, abs, msg);
        st->invalid_utf8 += invalid;
    }
    ms_article_free(&a);
    free(data);
    return rc ? rc : ms_frec_put(db, "F:", f->rel, &rec, err);
}

static int index_file(msx_wdb *db, ms_builder *b, const ms_index_opts *o, const file_ent *f,
                      ms_learned *L, size_t fi, ms_index_stats *st, ms_error *err)
{
    ms_index_enter_file(o, 1);
    int rc = index_one(db, b, o, f, L, fi, st, err);
    ms_index_enter_file(o, 0);
    return rc;
}

static int commit(msx_wdb *db, const ms_index_opts *o, ms_error *err)
{
    msx_error xe;
    if (msx_wdb_commit(db, &xe) != MSX_OK)
        return ms_fail(err, MS_EINDEX, "%s: commit failed: %s", o->db_path, xe.msg);
    return 0;
}

static int check_settings(msx_wdb *db, const ms_index_opts *o, const char *want, ms_error *err)
{
    char *have = NULL;
    size_t hl = 0;
    unsigned docs = 0;
    msx_wdb_doccount(db, &docs, NULL);
    if (msx_wdb_get_metadata(db, MS_SETTINGS_KEY, &have, &hl, NULL) != MSX_OK) {
        free(have);
        return ms_fail(err, MS_EINDEX, "%s: cannot read the index settings", o->db_path);
    }
    int rc = 0;
    if (hl == 0 && docs > 0) {
        rc = ms_fail(err, MS_EINDEX,
                     "%s: not a medsearch index (documents but no settings): "
                     "use another --db, or --rebuild to replace it",
                     o->db_path);
    } else if (hl > 0) {
        char diff[600];
        if (ms_settings_diff(have, want, diff, sizeof diff))
            rc = ms_fail(err, MS_EINDEX,
                         "%s: index built with other settings (%s); run with --rebuild to "
                         "rebuild it with these",
                         o->db_path, diff);
    }
    free(have);
    return rc;
}

/* Refuse a run that would remove every file the index holds (an empty or
 * wrong corpus folder, a disk not mounted): that is almost never meant, and
 * cannot be undone. */
static int check_not_all_gone(msx_wdb *db, const ms_index_opts *o, const walk *w, ms_error *err)
{
    keys_ctx keys = {0};
    msx_error xe;
    if (msx_wdb_metadata_keys(db, "F:", collect_key, &keys, &xe) != MSX_OK)
        return ms_fail(err, MS_EINDEX, "%s: %s", o->db_path, xe.msg);
    size_t kept = 0;
    for (size_t i = 0; i < keys.n; i++) {
        char *rel = ms_frec_path(db, keys.v[i]);
        kept += ms_walk_has(w, rel) || ms_walk_under_bad_dir(w, rel);
        free(rel);
        free(keys.v[i]);
    }
    free(keys.v);
    if (keys.n == 0 || kept > 0)
        return 0;
    return ms_fail(err, MS_EUSAGE,
                   "%s: would remove all %zu files of the index %s: none of them is there any "
                   "more (check the folder; to start over, delete %s)",
                   o->corpus, keys.n, o->db_path, o->db_path);
}

int ms_index_run(const ms_index_opts *o, ms_index_stats *st, ms_error *err)
{
    memset(st, 0, sizeof *st);
    double t0 = ms_now();
    struct stat sb;
    if (stat(o->corpus, &sb) != 0)
        return ms_fail(err, MS_EIO, "%s: %s", o->corpus, strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return ms_fail(err, MS_EIO, "%s: not a directory", o->corpus);

    ms_env env;
    ms_env_opts eo = {o->language, o->keep_accents, o->lexicon_dir, o->lexicon_files,
                      o->n_lexicon_files};
    if (ms_env_open(&env, &eo, err) < 0)
        return -1;

    walk w;
    ms_walk_corpus(&w, o, &sb, st);

    msx_wdb *db = NULL;
    ms_builder *b = ms_builder_new(&env);
    ms_learned learned = {0};
    keys_ctx keys = {0};
    int fresh = 0;
    int rc = open_writer(o, &db, &fresh, err);
    if (rc == 0 && db && o->rebuild && !fresh) {
        rc = clear_index(db, o, env.settings, err);
        if (rc == 1) {
            msx_wdb_free(db);
            db = NULL;
            fresh = 1;
            rc = open_writer(o, &db, &fresh, err);
        }
    }
    if (rc == 0 && db && !o->rebuild)
        rc = check_settings(db, o, env.settings, err);
    if (rc == 0 && !o->dry_run) {
        msx_error xe;
        if (msx_wdb_set_metadata(db, MS_SETTINGS_KEY, env.settings, strlen(env.settings), &xe) !=
            MSX_OK)
            rc = ms_fail(err, MS_EINDEX, "%s: %s", o->db_path, xe.msg);
    }

    /* plan: which files changed, then which others the boilerplate of the
     * corpus as it is now obliges to cut again (learn.c) */
    size_t *todo = NULL, n_todo = 0, bytes_total = 0;
    unsigned char *changed = ms_xrealloc(NULL, w.n + 1);
    if (rc == 0) {
        for (size_t i = 0; i < w.n; i++) {
            frec r;
            changed[i] = 0;
            if (db && ms_frec_get(db, "F:", w.v[i].rel, &r) && r.size == w.v[i].size &&
                r.mtime == w.v[i].mtime) {
                st->files_unchanged++;
                continue;
            }
            if (db && ms_frec_get(db, "E:", w.v[i].rel, &r) && r.size == w.v[i].size &&
                r.mtime == w.v[i].mtime) {
                st->files_failed_kept++;
                continue;
            }
            changed[i] = 1;
        }
    }
    if (rc == 0 && db && !o->rebuild)
        rc = check_not_all_gone(db, o, &w, err);
    if (rc == 0)
        rc = ms_learn(o, &w, o->rebuild ? NULL : db, changed, &learned, err);
    if (rc == 0) {
        todo = ms_xrealloc(NULL, (w.n + 1) * sizeof *todo);
        for (size_t i = 0; i < w.n; i++) {
            if (!changed[i] && !(learned.state[i] & MS_LEARN_STALE))
                continue;
            frec r;
            if (!changed[i] && ms_frec_get(db, "F:", w.v[i].rel, &r))
                st->files_unchanged--; /* counted as unchanged by the plan */
            else if (!changed[i])
                st->files_failed_kept--;
            todo[n_todo++] = i;
            bytes_total += (size_t)w.v[i].size;
        }
    }
    if (rc == 0 && o->dry_run) {
        for (size_t i = 0; i < n_todo; i++)
            ms_index_warn(o, w.v[todo[i]].rel, "would be indexed");
        st->files_indexed = n_todo;
    }
    size_t batch = o->batch_files ? o->batch_files : DEFAULT_BATCH;
    ms_index_progress pr = {0, n_todo, 0, bytes_total, 0};
    if (o->n_shards > 1 && !o->dry_run)
        progress(o, &pr); /* its share of the total, before the first batch */
    for (size_t i = 0; rc == 0 && !o->dry_run && i < n_todo; i++) {
        if (o->stop && *o->stop) {
            st->interrupted = 1;
            break;
        }
        rc = index_file(db, b, o, &w.v[todo[i]], &learned, todo[i], st, err);
        pr.files_done++;
        pr.bytes_done += (size_t)w.v[todo[i]].size;
        if (rc == 0 && pr.files_done % batch == 0) {
            rc = commit(db, o, err);
            pr.seconds = ms_now() - t0;
            progress(o, &pr);
        }
    }

    /* vanished files: only after a complete walk of their directory */
    if (rc == 0 && !st->interrupted && db) {
        msx_error xe;
        static const char *const prefixes[] = {"F:", "E:"};
        for (int p = 0; p < 2 && rc == 0; p++) {
            keys.n = 0;
            if (msx_wdb_metadata_keys(db, prefixes[p], collect_key, &keys, &xe) != MSX_OK) {
                rc = ms_fail(err, MS_EINDEX, "%s: %s", o->db_path, xe.msg);
                break;
            }
            for (size_t i = 0; i < keys.n; i++) {
                char *rel = ms_frec_path(db, keys.v[i]);
                if (rc == 0 && !ms_walk_has(&w, rel) && !ms_walk_under_bad_dir(&w, rel)) {
                    if (o->dry_run) {
                        ms_index_warn(o, rel, "would be removed");
                    } else if (p == 0) {
                        long n = remove_file(db, rel, err);
                        if (n < 0)
                            rc = -1;
                        else
                            st->passages_removed += (size_t)n;
                    }
                    if (p == 0)
                        st->files_removed++;
                    if (!o->dry_run) {
                        ms_frec_del(db, prefixes[p], rel);
                        ms_krec_del(db, rel);
                    }
                }
                free(rel);
                free(keys.v[i]);
            }
        }
    }
    if (rc == 0 && !o->dry_run)
        rc = commit(db, o, err);
    if (db) {
        if (rc == 0 && !o->dry_run) {
            msx_error xe;
            if (msx_wdb_close(db, &xe) != MSX_OK)
                rc = ms_fail(err, MS_EINDEX, "%s: %s", o->db_path, xe.msg);
        } else {
            msx_wdb_free(db);
        }
    }
    pr.seconds = ms_now() - t0;
    if (rc == 0 && !o->dry_run)
        progress(o, &pr);
    free(keys.v);
    free(todo);
    ms_builder_free(b);
    ms_learned_free(&learned, w.n);
    free(changed);
    ms_walk_free(&w);
    ms_env_close(&env);
    st->seconds = ms_now() - t0;
    return rc;
}
