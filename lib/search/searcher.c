/*
 * search/searcher.c - opening an index to search, and opening it again.
 *
 * An index is a database directory, or a stub (a file, or a directory
 * holding XAPIANDB) that names one current generation or lists shards,
 * local or remote. Shards are opened one by one, so that the one that is
 * down, damaged or built with other settings can be named; their settings
 * must agree with each other and with the analyzer. A writer may commit or
 * switch to a new generation at any time: an open that sees the index
 * change is tried again, and a search that does (search.c) opens it again
 * with ms_searcher_reattach. The errors of reading a match list, and
 * reading a passage record from it, are here for the same reason.
 */
#include "search/searcher.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/util.h"
#include "index/index.h"
#include "index/layout.h"

/* Describe why path (a database, or with remote a HOST:PORT) could not be
 * opened. */
static int open_error(const char *path, int remote, msx_status st, const msx_error *xe,
                      ms_error *err)
{
    struct stat sb;
    if (remote && st != MSX_NETWORK)
        return ms_fail(err, MS_ESHARD, "%s: cannot be opened: %s", path, xe->msg);
    if (st == MSX_NOT_FOUND || (st != MSX_NETWORK && stat(path, &sb) != 0))
        return ms_fail(err, MS_EINDEX, "%s: no index there (build one with medindex)", path);
    if (st == MSX_NETWORK)
        return ms_fail(err, MS_ESHARD, "%s: cannot be reached: %s", path, xe->msg);
    if (st == MSX_VERSION)
        return ms_fail(err, MS_EINDEX, "%s: index format not supported: %s", path, xe->msg);
    if (st == MSX_CORRUPT)
        return ms_fail(err, MS_EINDEX,
                       "%s: the index is damaged (%s): rebuild it with medindex --rebuild", path,
                       xe->msg);
    if (st == MSX_INVALID)
        return ms_fail(err, MS_EINDEX, "%s: %s", path, xe->msg);
    return ms_fail(err, MS_EINDEX, "%s: not a medsearch index (%s)", path, xe->msg);
}

/* The text of the stub behind path (a stub file, or a directory with
 * XAPIANDB), malloc'd, or NULL when path is a plain database; base gets the
 * folder its relative paths start from. */
static char *stub_text(const char *path, char *base, size_t cap)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return NULL;
    snprintf(base, cap, "%s", path);
    if (S_ISDIR(sb.st_mode))
        return ms_layout_read_stub(path);
    char *slash = strrchr(base, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(base, cap, ".");
    size_t len;
    char why[256];
    return ms_read_file(path, MS_STUB_MAX, &len, why, sizeof why);
}

/* Whether the stub behind path says something else now than text (NULL:
 * there was none): the index was switched to a new generation, or made
 * one, while it was being opened. */
static int stub_changed(const char *path, const char *text)
{
    char base[4200];
    char *now = stub_text(path, base, sizeof base);
    int changed = (now == NULL) != (text == NULL) || (now && strcmp(now, text) != 0);
    free(now);
    return changed;
}

/* The next line of stub text *at into kind and where ("TYPE PATH"; as in
 * Xapian's own stub reader, the path is the rest of the line, so it may hold
 * spaces), moving *at past it. Returns 0 at the end, 2 for a blank or
 * comment line, else 1 (line, ll: the line itself). */
static int stub_line(const char **at, char *kind, size_t kcap, char *where, size_t wcap,
                     const char **line, size_t *ll)
{
    const char *l = *at;
    if (!l || !*l)
        return 0;
    size_t n = strcspn(l, "\n");
    *at = l[n] ? l + n + 1 : l + n;
    *line = l;
    *ll = n;
    size_t kl = strcspn(l, " \t\r\n");
    const char *rest = l + kl + strspn(l + kl, " \t");
    size_t wl = rest < l + n ? (size_t)(l + n - rest) : 0;
    while (wl > 0 && (rest[wl - 1] == ' ' || rest[wl - 1] == '\t' || rest[wl - 1] == '\r'))
        wl--;
    if (l[0] == '#' || kl == 0 || wl == 0)
        return 2;
    snprintf(kind, kcap, "%.*s", (int)(kl < kcap ? kl : kcap - 1), l);
    snprintf(where, wcap, "%.*s", (int)(wl < wcap ? wl : wcap - 1), rest);
    return 1;
}

/* Whether the local database at name is a stub whose stubs nest more than
 * STUB_DEPTH deep, or make *budget readings run out: a stub that names
 * itself, or two that name each other, which Xapian would follow until the
 * stack overflows. */
#define STUB_DEPTH 8
static int stub_loops(const char *name, int depth, int *budget)
{
    char base[4200], kind[16], where[4096];
    char *text = stub_text(name, base, sizeof base);
    if (!text || ms_layout_stub_gen(text)) {
        free(text);
        return 0; /* a database, or a single index's generation */
    }
    int loops = depth >= STUB_DEPTH || --*budget < 0;
    const char *at = text, *line;
    size_t ll;
    int k;
    while (!loops && (k = stub_line(&at, kind, sizeof kind, where, sizeof where, &line, &ll))) {
        if (k != 1 || strcmp(kind, "remote") == 0)
            continue;
        char target[8400];
        snprintf(target, sizeof target, "%s%s%s", where[0] == '/' ? "" : base,
                 where[0] == '/' ? "" : "/", where);
        loops = stub_loops(target, depth + 1, budget);
    }
    free(text);
    return loops;
}

/* Open one shard line of a stub ("auto PATH", "glass PATH", "remote HOST:PORT"). */
static msx_status open_shard(const char *base, const char *kind, const char *where, msx_db **db,
                             char *name, size_t cap, msx_error *xe)
{
    if (strcmp(kind, "remote") == 0) {
        snprintf(name, cap, "%s", where);
        const char *colon = strrchr(where, ':');
        char host[256];
        const char *h = where;
        size_t hl = colon ? (size_t)(colon - where) : 0;
        if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') { /* [IPv6]:PORT */
            h++;
            hl -= 2;
        }
        char *end = NULL;
        long port = colon ? strtol(colon + 1, &end, 10) : 0;
        if (!colon || hl == 0 || hl >= sizeof host || !colon[1] || *end || port < 1 ||
            port > 65535) {
            snprintf(xe->msg, sizeof xe->msg, "'%.200s' is not HOST:PORT", where);
            return xe->status = MSX_INVALID;
        }
        memcpy(host, h, hl);
        host[hl] = '\0';
        return msx_db_open_remote(host, (unsigned)port, 10000, db, xe);
    }
    if (where[0] == '/')
        snprintf(name, cap, "%s", where);
    else
        snprintf(name, cap, "%.2000s/%.2000s", base, where);
    int budget = 1000;
    if (stub_loops(name, 1, &budget)) {
        snprintf(xe->msg, sizeof xe->msg, "stubs name each other in a loop, or nest over %d deep",
                 STUB_DEPTH);
        return xe->status = MSX_INVALID;
    }
    return msx_db_open(name, db, xe);
}

typedef struct shard {
    char name[4200];
    char *settings; /* "" when it has none */
    unsigned docs;
} shard;

/* Read the settings and size of db into sh. */
static msx_status read_shard(const msx_db *db, shard *sh, msx_error *xe)
{
    size_t hl = 0;
    msx_status st = msx_db_get_metadata(db, MS_SETTINGS_KEY, &sh->settings, &hl, xe);
    if (st == MSX_OK && !sh->settings)
        sh->settings = strdup("");
    if (st == MSX_OK && !sh->settings)
        st = xe->status = MSX_NOMEM;
    if (st == MSX_OK)
        st = msx_db_doccount(db, &sh->docs, xe);
    return st;
}

/* What opening an index found. */
typedef struct opened {
    shard *sh;
    size_t n;
    int is_stub;   /* shards of a stub (a single index's generation is not) */
    int transient; /* the failure can pass: open again */
} opened;

static void opened_free(opened *op)
{
    for (size_t i = 0; i < op->n; i++)
        free(op->sh[i].settings);
    free(op->sh);
    memset(op, 0, sizeof *op);
}

/* Open path into s->db: a database, or a stub whose shards are opened (and
 * later checked) one by one, so that a shard that is down or was built with
 * other settings is named. With allow_partial, shards that cannot be opened
 * are left out and listed in s->missing. A failure that can pass (the index
 * changed or was switched to a new generation meanwhile) sets
 * op->transient. */
static int open_index(ms_searcher *s, const char *path, int allow_partial, opened *op,
                      ms_error *err)
{
    char base[4200];
    char *text = stub_text(path, base, sizeof base);
    msx_error xe = {0};
    int rc = 0;
    memset(op, 0, sizeof *op);
    /* a single index names its one current generation: it is no shard */
    op->is_stub = text && !ms_layout_stub_gen(text);
    unsigned lineno = 0;
    const char *line, *first = NULL; /* the first stub line (not blank, not a comment) */
    char kind[16], where[4096];
    size_t ll, nlines = 0;
    for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : "")
        nlines++;
    shard *sh = calloc(nlines + 1, sizeof *sh);
    op->sh = sh;
    if (!sh)
        rc = ms_fail(err, MS_ENOMEM, "out of memory");
    if (rc == 0 && !text) {
        msx_status st = msx_db_open(path, &s->db, &xe);
        if (st == MSX_OK)
            st = read_shard(s->db, &sh[0], &xe);
        if (st != MSX_OK)
            rc = open_error(path, 0, st, &xe, err);
        else
            op->n = 1;
        snprintf(sh[0].name, sizeof sh[0].name, "%s", path);
    }
    const char *at = text;
    int k;
    while (rc == 0 && (k = stub_line(&at, kind, sizeof kind, where, sizeof where, &line, &ll))) {
        lineno++;
        if (k != 1)
            continue;
        if (!first)
            first = line;
        if (strcmp(kind, "auto") && strcmp(kind, "glass") && strcmp(kind, "remote")) {
            /* a file that does not start as a stub is not quoted: --db may
               name any file */
            if (line == first)
                rc = ms_fail(err, MS_EINDEX,
                             "%s: not a medsearch index (a file that is not a Xapian stub)", path);
            else
                rc = ms_fail(err, MS_EINDEX, "%s:%u: unsupported stub line '%.*s'", path, lineno,
                             (int)(ll < 200 ? ll : 200), line);
            break;
        }
        msx_db *db = NULL;
        shard *g = &sh[op->n];
        msx_status st = open_shard(base, kind, where, &db, g->name, sizeof g->name, &xe);
        if (st == MSX_OK && (st = read_shard(db, g, &xe)) != MSX_OK) {
            msx_db_free(db);
            free(g->settings);
            g->settings = NULL;
        }
        if (st != MSX_OK) {
            if (allow_partial && op->is_stub) {
                size_t ml = s->missing ? strlen(s->missing) : 0;
                char *m = realloc(s->missing, ml + strlen(g->name) + 3);
                if (m) {
                    snprintf(m + ml, strlen(g->name) + 3, "%s%s", ml ? ", " : "", g->name);
                    s->missing = m;
                }
                continue;
            }
            rc =
                open_error(op->is_stub ? g->name : path, strcmp(kind, "remote") == 0, st, &xe, err);
            if (err && op->is_stub)
                snprintf(err->msg + strlen(err->msg), sizeof err->msg - strlen(err->msg),
                         " (shard of %s)", path);
            break;
        }
        op->n++;
        if (!s->db)
            s->db = db;
        else {
            if (msx_db_add(s->db, db, &xe) != MSX_OK)
                rc = ms_fail(err, MS_EINDEX, "%s: %s", g->name, xe.msg);
            msx_db_free(db);
        }
    }
    if (rc == 0 && text && op->n == 0)
        rc = ms_fail(err, MS_ESHARD, "%s: no shard could be opened%s%s", path,
                     s->missing ? ": " : "", s->missing ? s->missing : "");
    /* A generation is removed only after the stub names another: one that
     * the stub still names once its files are open was opened whole (Xapian
     * would take a table whose file is already gone for an empty one). */
    if (rc == 0 && stub_changed(path, text))
        rc = ms_fail(err, MS_EINDEX, "%s: switched to a new generation while opened", path);
    if (rc < 0)
        op->transient = xe.status == MSX_MODIFIED || stub_changed(path, text);
    free(text);
    return rc;
}

/* Check the shards of op against each other and the analyzer: the first
 * shard with settings decides the analysis when the searcher has none yet
 * (eo then gives the rest of it); all must agree. */
static int check_index(ms_searcher *s, const char *path, const ms_env_opts *eo, const opened *op,
                       ms_error *err)
{
    const char *have = "";
    for (size_t i = 0; i < op->n && !have[0]; i++)
        have = op->sh[i].settings;
    if (!s->env.an) {
        char lang[64], acc[16], schema[16];
        ms_settings_get(have, "language", lang, sizeof lang);
        ms_settings_get(have, "accents", acc, sizeof acc);
        ms_settings_get(have, "schema", schema, sizeof schema);
        if (have[0] && atoi(schema) != MS_SCHEMA_VERSION)
            return ms_fail(err, MS_EINDEX,
                           "%s: index schema %s, this medquery reads schema %d: rebuild it with "
                           "medindex --rebuild",
                           path, schema, MS_SCHEMA_VERSION);
        ms_env_opts o = *eo;
        o.language = lang[0] ? lang : eo->language;
        o.keep_accents = strcmp(acc, "keep") == 0;
        if (ms_env_open(&s->env, &o, err) < 0)
            return -1;
    }
    const char *of = op->is_stub ? " (shard of " : "", *p = op->is_stub ? path : "",
               *close = op->is_stub ? ")" : "";
    for (size_t i = 0; i < op->n; i++) {
        const char *name = op->is_stub ? op->sh[i].name : path;
        char diff[600];
        if (!op->sh[i].settings[0] && op->sh[i].docs > 0)
            return ms_fail(err, MS_EINDEX, "%s: not a medsearch index (no settings)%s%s%s", name,
                           of, p, close);
        if (op->sh[i].settings[0] &&
            ms_settings_diff(op->sh[i].settings, s->env.settings, diff, sizeof diff))
            return ms_fail(err, MS_EINDEX,
                           "%s: index built with other settings (%s): rebuild it with medindex "
                           "--rebuild%s%s%s",
                           name, diff, of, p, close);
    }
    return 0;
}

/* A language the index holds passages of: queries are stemmed in it too. */
static int add_language(void *ctx, const char *t, size_t len, unsigned freq)
{
    (void)freq;
    size_t pl = strlen(MS_LANG_PREFIX);
    ms_analyzer_language(ctx, ms_language_of(t + pl, len - pl));
    return 0;
}

/* Open s->path into s->db, checked; eo is used when the searcher has no
 * analyzer yet. An index that changes while it is opened (a commit, a switch
 * to a rebuilt generation) is opened again, as many times as that goes on;
 * other failures are tried a few times more, then reported. */
static int attach(ms_searcher *s, const ms_env_opts *eo, ms_error *err)
{
    for (int attempt = 0;; attempt++) {
        opened op;
        int rc = open_index(s, s->path, s->allow_partial, &op, err);
        if (rc == 0)
            rc = check_index(s, s->path, eo, &op, err);
        /* (a shard that cannot be reached is not tried again: each try can
           cost a timeout) */
        int again = rc < 0 && (op.transient ? attempt < 200
                                            : attempt < 2 && !(err && err->code == MS_ESHARD));
        opened_free(&op);
        if (rc == 0) {
            /* (a list that fails leaves the index's own language) */
            msx_db_allterms(s->db, MS_LANG_PREFIX, add_language, s->env.an, NULL);
            return rc;
        }
        msx_db_free(s->db); /* never a part of the index, searched as if whole */
        s->db = NULL;
        free(s->missing);
        s->missing = NULL;
        if (!again)
            return rc;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

ms_searcher *ms_searcher_open(const char *path, const ms_env_opts *eo, int allow_partial,
                              ms_error *err)
{
    ms_searcher *s = calloc(1, sizeof *s);
    if (!s) {
        ms_fail(err, MS_ENOMEM, "out of memory");
        return NULL;
    }
    s->path = strdup(path);
    s->allow_partial = allow_partial;
    s->words = ms_spell_words_new();
    if (!s->path || !s->words) {
        ms_fail(err, MS_ENOMEM, "out of memory");
        ms_searcher_free(s);
        return NULL;
    }
    if (attach(s, eo, err) < 0) {
        ms_searcher_free(s);
        return NULL;
    }
    return s;
}

const char *ms_searcher_missing(const ms_searcher *s)
{
    return s->missing;
}

void ms_searcher_free(ms_searcher *s)
{
    if (!s)
        return;
    msx_db_free(s->db);
    if (s->env.an)
        ms_env_close(&s->env);
    free(s->path);
    free(s->missing);
    ms_unmark(&s->scratch);
    ms_spell_words_free(s->words);
    free(s);
}

/* Whether an error reading the index can come from a writer at work (a
 * commit, a generation replaced and removed), so that opening the index
 * again and retrying may succeed. */
int ms_searcher_may_pass(msx_status st)
{
    return st == MSX_MODIFIED || st == MSX_CORRUPT || st == MSX_OPENING || st == MSX_NOT_FOUND ||
           st == MSX_ERROR;
}

/* Fail with what Xapian said of the index at path. */
int ms_searcher_fail(ms_error *err, const char *path, const msx_error *xe)
{
    if (xe->status == MSX_CORRUPT)
        return ms_fail(err, MS_EINDEX,
                       "%s: the index is damaged (%s): rebuild it with medindex --rebuild", path,
                       xe->msg);
    if (xe->status == MSX_MODIFIED) /* after retries: a writer too busy, or damage */
        return ms_fail(err, MS_EINDEX,
                       "%s: the index keeps changing, or is damaged (%s): try again, and if "
                       "this lasts, rebuild it with medindex --rebuild",
                       path, xe->msg);
    return ms_fail(err, xe->status == MSX_NETWORK ? MS_ESHARD : MS_EINDEX, "%s: %s", path, xe->msg);
}

/* The passage record of item i into *rec; -1 on failure, with *modified
 * set when the index changed under the reader (the caller reopens and
 * retries). */
int ms_searcher_load_rec(const msx_mset *m, unsigned i, const char *path, ms_rec *rec,
                         int *modified, ms_error *err)
{
    msx_doc *doc = NULL;
    char *data = NULL;
    size_t len = 0;
    msx_error xe;
    if (msx_mset_document(m, i, &doc, &xe) != MSX_OK ||
        msx_doc_get_value(doc, MS_SLOT_PASSAGE, &data, &len, &xe) != MSX_OK) {
        msx_doc_free(doc);
        *modified |= ms_searcher_may_pass(xe.status);
        return ms_searcher_fail(err, path, &xe);
    }
    msx_doc_free(doc);
    int rc = ms_rec_decode(data, len, rec);
    free(data);
    if (rc < 0)
        return ms_fail(err, MS_EINDEX,
                       "%s: the index is damaged (a passage record cannot be read): rebuild it "
                       "with medindex --rebuild",
                       path);
    return 0;
}

/* Open s's index again, at its latest commit or generation. */
int ms_searcher_reattach(ms_searcher *s, ms_error *err)
{
    ms_spell_words_clear(s->words); /* the words of the index as it was */
    msx_db_free(s->db);
    s->db = NULL;
    free(s->missing);
    s->missing = NULL;
    return attach(s, NULL, err);
}
