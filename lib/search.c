/*
 * search.c - ranked passages with snippets.
 *
 * The snippet of a passage is the window of snippet_words words that holds
 * the most distinct matched query forms (then the most matches), with a
 * bonus for starting at a sentence, in the manner of FTS5's snippet().
 * Matching is decided on the analyzer's tokens of the stored passage text:
 * a token matches when its folded form or its stem is one the query
 * searched for, or when it lies inside a mention of an entity the query
 * named (so a search for hives highlights "urticaria").
 */
#include "medsearch/search.h"
#include "index/layout.h"
#include "base/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "medsearch/index.h"

/* The tokens of a text with, for each primary token, a match id: 0 when it
 * matches no query form, else an id shared by the tokens of one matched form
 * (a word, or a whole entity mention). */
typedef struct marked {
    ms_tokens t;
    ms_entities ents;
    size_t *prim; /* indices of the primary tokens in t */
    int *match;
    size_t np, cap;
} marked;

/* Re-ranking: Xapian's top RERANK_DEPTH matches (whatever -n and --offset
 * ask for) get HEAD_W per heading word
 * that fits the question type added to their BM25 score, and the sum times
 * (1 + TITLE_COVER_W * title coverage + SECTION_COVER_W * heading coverage);
 * the weights were chosen on the dev set (bench/tune). */
#define RERANK_DEPTH 20 /* 50 measured the same (nDCG@10 0.732 vs 0.731), 12% slower */
#define TITLE_COVER_W 0.5
#define SECTION_COVER_W 0.4
#define HEAD_W 3.0
/* Then the top PROX_DEPTH get their score times (1 + PROX_W * proximity),
 * the share of the query's adjacent word pairs found within PROX_WINDOW
 * words of each other (dev set: MRR 0.844 -> 0.849, nDCG@10 0.733 -> 0.732;
 * a wider window or a higher weight measured worse). */
#define PROX_DEPTH 10
#define PROX_WINDOW 3u
#define PROX_W 0.2

struct ms_searcher {
    char *path;
    msx_db *db;
    ms_env env;
    char *missing;         /* shards left out with allow_partial, or NULL */
    marked scratch;        /* reused by the re-ranker */
    ms_spell_words *words; /* spelling candidates listed so far */
    int allow_partial;     /* leave out the shards that cannot be opened */
    ms_error gave_up;      /* a shard stopped answering: every later search fails so */
};

void ms_search_opts_default(ms_search_opts *o)
{
    memset(o, 0, sizeof *o);
    o->limit = 10;
    o->per_article = 0;
    o->snippet_words = 30;
    /* b 0: passages are cut to a bounded length, and normalizing for it
       measured no better on the dev set (bench/tune), while it costs a
       document-length lookup for every candidate, half of Xapian's work */
    o->k1 = 1.5;
    o->b = 0;
    o->q.expand = 1;
    o->q.spelling = 1;
}

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
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    ms_sbuf t = {0};
    size_t got;
    do { /* a stub names its shards: 64 KB is plenty for thousands */
        got = fread(ms_sb_room(&t, 4096), 1, 4096, f);
        t.n += got;
    } while (got > 0 && t.n < 65536);
    fclose(f);
    ms_sb_room(&t, 0)[0] = '\0';
    return t.p;
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
        if (rc == 0)
            return rc;
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

static void unmark(marked *mk)
{
    free(mk->prim);
    free(mk->match);
    ms_entities_free(&mk->ents);
    ms_tokens_free(&mk->t);
    memset(mk, 0, sizeof *mk);
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
    unmark(&s->scratch);
    ms_spell_words_free(s->words);
    free(s);
}

const ms_env *ms_searcher_env(const ms_searcher *s)
{
    return &s->env;
}

/* ---- snippets ---- */

static int in_set(char *const *v, size_t n, const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (v[i][0] == s[0] && strncmp(v[i], s, len) == 0 && v[i][len] == '\0')
            return 1;
    return 0;
}

static int is_sentence_start(const char *text, size_t at)
{
    size_t i = at;
    while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t'))
        i--;
    return i == 0 || text[i - 1] == '.' || text[i - 1] == '!' || text[i - 1] == '?' ||
           text[i - 1] == '\n' || text[i - 1] == ':';
}

/* Whether the query asks for entity kind and name. */
static int wanted(const ms_qinfo *info, ms_entkind kind, const char *name)
{
    for (size_t q = 0; q < info->n_ents; q++)
        if (info->ents[q].kind == kind && strcmp(info->ents[q].name, name) == 0)
            return 1;
    return 0;
}

/* Give the primary tokens [first, end) of a mention of an entity the query
 * asks for one match id, id (< 0): highlighted as one piece. */
static void mark_mention(marked *mk, size_t first, size_t end, int id)
{
    /* prim rises: find the first primary token at or past first */
    size_t lo = 0, hi = mk->np;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (mk->prim[mid] < first)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t j = lo; j < mk->np && mk->prim[j] < end; j++)
        mk->match[j] = id;
}

/* Mark text into mk, whose buffers (zeroed at first) are reused: every
 * token whose word or stem the query has (a stem need not begin as its word
 * does: "lying" stems to "lie"). The entities are found where the
 * passage record rec says (the indexer's tagging of the same text), or
 * with the lexicon when rec is NULL. */
static void mark(const ms_env *env, const ms_qinfo *info, const ms_rec *rec, const char *text,
                 size_t len, marked *mk)
{
    int keeps_first = ms_analyzer_stems_keep_first(env->an);
    ms_tokens_reset(&mk->t);
    ms_analyze(env->an, text, len, 1, &mk->t);
    mk->ents.n = 0;
    if (info->n_ents && !rec)
        ms_lexicon_tag(env->lex, text, &mk->t, &mk->ents);
    const ms_tokens *tk = &mk->t;
    size_t np = 0;
    if (tk->n + 1 > mk->cap) {
        mk->cap = tk->n + 1;
        mk->prim = ms_xrealloc(mk->prim, mk->cap * sizeof *mk->prim);
        mk->match = ms_xrealloc(mk->match, mk->cap * sizeof *mk->match);
    }
    size_t *prim = mk->prim;
    int *match = mk->match;
    char stem[MS_TERM_MAX + 8];
    /* the first bytes of the words (1) and stems (2) to highlight: most
       tokens are ruled out by one lookup. An English stem keeps its word's
       first letter (not always the second: "lying" stems to "lie"); other
       stemmers may not, and every token is stemmed. */
    unsigned char first[256] = {0};
    for (size_t q = 0; q < info->n_terms; q++)
        first[(unsigned char)info->terms[q][0]] |= 1;
    for (size_t q = 0; q < info->n_stems; q++)
        first[(unsigned char)info->stems[q][0]] |= 2;
    for (size_t i = 0; i < tk->n; i++) {
        const ms_token *k = &tk->v[i];
        const char *s = ms_token_term(tk, k);
        unsigned char f = first[(unsigned char)s[0]];
        int m = 0;
        if ((f & 1) && in_set(info->terms, info->n_terms, s, k->len)) {
            m = 1;
        } else if (!(k->flags & (MS_TOK_NUMBER | MS_TOK_CJK)) && info->n_stems &&
                   ((f & 2) || !keeps_first)) {
            size_t sl = ms_analyzer_stem(env->an, s, k->len, stem, sizeof stem);
            m = in_set(info->stems, info->n_stems, stem, sl);
        }
        if (k->flags & MS_TOK_ALT) {
            /* an alternative matched: mark the primary tokens it covers */
            for (size_t j = np; m && j-- > 0 && tk->v[prim[j]].start >= k->start;)
                if (!match[j])
                    match[j] = (int)i + 1;
            continue;
        }
        prim[np] = i;
        match[np++] = m ? (int)i + 1 : 0;
    }
    mk->np = np;
    for (size_t e = 0; e < mk->ents.n; e++) {
        const ms_entity *en = &mk->ents.v[e];
        if (wanted(info, en->kind, ms_entity_name(env->lex, en, tk)))
            mark_mention(mk, en->tok_first, en->tok_end, -(int)e - 1);
    }
    for (size_t m = 0; rec && info->n_ents && m < rec->n_mentions; m++) {
        const ms_rec_mention *mn = &rec->mentions[m];
        const ms_rec_entity *en = &rec->ents[mn->ent];
        if (wanted(info, en->kind, en->name))
            mark_mention(mk, mn->first, mn->end, -(int)m - 1);
    }
}

/* The score a section heading adds for holding words that fit the question
 * type (ms_qinfo.heads), in the marked heading mk. */
static double heading_fit(const ms_env *env, const ms_qinfo *info, const marked *mk)
{
    double sum = 0;
    unsigned long long seen = 0; /* heads counted (the first 64) */
    char stem[MS_TERM_MAX + 8];
    for (size_t j = 0; j < mk->np; j++) {
        const ms_token *k = &mk->t.v[mk->prim[j]];
        const char *s = ms_token_term(&mk->t, k);
        size_t sl = k->len;
        if (!ms_is_stopword(s, sl) && !(k->flags & (MS_TOK_NUMBER | MS_TOK_CJK))) {
            sl = ms_analyzer_stem(env->an, s, sl, stem, sizeof stem);
            s = stem;
        }
        for (size_t h = 0; h < info->n_heads && h < 64; h++)
            if (!(seen >> h & 1) && strncmp(info->heads[h].word, s, sl) == 0 &&
                info->heads[h].word[sl] == '\0') {
                seen |= 1ull << h;
                sum += info->heads[h].weight;
            }
    }
    return sum;
}

/* The share of a title's or heading's content words that the query matched
 * (0..1): a passage whose article is about exactly what was asked ranks
 * above one about a subtype or a neighbour ("Ehlers-Danlos syndrome" above
 * "Ehlers-Danlos syndrome, vascular type"), and a section whose heading is
 * the question above one that merely mentions its words. */
static double coverage(const ms_env *env, const ms_qinfo *info, marked *mk, const char *title)
{
    mark(env, info, NULL, title, strlen(title), mk);
    size_t words = 0, hit = 0;
    for (size_t j = 0; j < mk->np; j++) {
        const ms_token *k = &mk->t.v[mk->prim[j]];
        if (ms_is_stopword(ms_token_term(&mk->t, k), k->len))
            continue;
        words++;
        hit += mk->match[j] != 0;
    }
    return words ? (double)hit / (double)words : 0.0;
}

/* The snippet of text, marked in mk, into hit. */
static void snippet_of(const marked *mk, const char *text, size_t len, unsigned words, ms_hit *hit)
{
    const ms_tokens t = mk->t;
    size_t np = mk->np, *prim = mk->prim;
    int *match = mk->match;

    /* best window: the most distinct matched words, then the most matches,
       then a sentence start; cls[j] numbers the distinct words */
    size_t *cls = ms_xrealloc(NULL, (np + 1) * sizeof *cls), n_cls = 0;
    const char **word = ms_xrealloc(NULL, (np + 1) * sizeof *word); /* of each class */
    for (size_t j = 0; j < np; j++) {
        if (!match[j])
            continue;
        const char *tj = t.buf + t.v[prim[j]].off;
        size_t c = 0;
        while (c < n_cls && strcmp(word[c], tj) != 0)
            c++;
        if (c == n_cls)
            word[n_cls++] = tj;
        cls[j] = c;
    }
    free(word);
    unsigned *count = ms_xrealloc(NULL, (n_cls + 1) * sizeof *count);
    memset(count, 0, (n_cls + 1) * sizeof *count);
    size_t w = words ? words : 30, best = 0;
    long best_score = -1, distinct = 0, hits = 0;
    for (size_t i = 0, end = 0; i < np; i++) {
        if (i > 0 && best_score >= 0 && i + w > np + w / 2)
            break;
        for (; end < np && end < i + w; end++)
            if (match[end]) {
                hits++;
                distinct += count[cls[end]]++ == 0;
            }
        long score = distinct * 1000 + hits * 10;
        if (score + 5 > best_score && is_sentence_start(text, t.v[prim[i]].start))
            score += 5;
        if (score > best_score) {
            best_score = score;
            best = i;
        }
        if (match[i]) {
            hits--;
            distinct -= --count[cls[i]] == 0;
        }
    }
    free(count);
    free(cls);
    size_t last = np ? (best + w < np ? best + w : np) - 1 : 0;
    size_t from = np ? t.v[prim[best]].start : 0;
    size_t to = np ? t.v[prim[last]].end : len;
    if (to < len && (text[to] == '.' || text[to] == ')' || text[to] == '%'))
        to++;

    /* copy, folding white space, with the highlights: never longer than
       the text with an ellipsis at each end */
    char *out = ms_xrealloc(NULL, (to - from) + 16);
    size_t o = 0;
    /* at most one highlight per token of the window */
    ms_range *hl = ms_xrealloc(NULL, (np ? last - best + 2 : 1) * sizeof *hl);
    size_t nh = 0;
    if (from > 0)
        o += (size_t)sprintf(out + o, "\xE2\x80\xA6");
    int open_id = 0;
    size_t hl_start = 0;
    int space = 0;
    size_t p = from;
    for (size_t j = best; p < to; j++) {
        /* the bytes before token j (never highlighted), then its own: a
           highlight starts or ends at token boundaries */
        int tok = j <= last && j < np;
        size_t ts = tok && t.v[prim[j]].start < to ? t.v[prim[j]].start : to;
        size_t te = tok && t.v[prim[j]].end < to ? t.v[prim[j]].end : to;
        for (int part = 0; part < 2; part++) {
            int id = part && tok ? match[j] : 0;
            for (size_t end = part ? te : ts; p < end; p++) {
                char c = text[p];
                if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
                    space = 1;
                    continue;
                }
                if (open_id && id != open_id) {
                    hl[nh].start = hl_start;
                    hl[nh++].end = o;
                    open_id = 0;
                }
                if (space && o > 0)
                    out[o++] = ' ';
                space = 0;
                if (id && !open_id) {
                    open_id = id;
                    hl_start = o;
                }
                out[o++] = c;
            }
        }
    }
    if (open_id) {
        hl[nh].start = hl_start;
        hl[nh++].end = o;
    }
    if (to < len) {
        memcpy(out + o, "\xE2\x80\xA6", 3);
        o += 3;
    }
    out[o] = '\0';
    hit->snippet = out;
    hit->snippet_len = o;
    hit->hl = hl;
    hit->n_hl = nh;
}

void ms_snippet(const ms_env *env, const ms_qinfo *info, const char *text, size_t len,
                unsigned words, ms_hit *hit)
{
    marked mk = {0};
    mark(env, info, NULL, text, len, &mk);
    snippet_of(&mk, text, len, words, hit);
    unmark(&mk);
}

/* How many of the query's adjacent word pairs ("blood ... stool") occur
 * within PROX_WINDOW words of each other in the marked text, as a share of
 * the pairs (0..1). */
static double proximity(const ms_env *env, const ms_qinfo *info, const marked *mk)
{
    size_t nq = info->n_stems;
    if (nq < 2)
        return 0;
    size_t *last = ms_xrealloc(NULL, nq * sizeof *last);
    unsigned char *found = ms_xrealloc(NULL, nq);
    memset(found, 0, nq);
    for (size_t k = 0; k < nq; k++)
        last[k] = (size_t)-1;
    char stem[MS_TERM_MAX + 8];
    for (size_t j = 0; j < mk->np; j++) {
        if (!mk->match[j]) /* (an entity's words carry its id: check them too) */
            continue;
        const ms_token *t = &mk->t.v[mk->prim[j]];
        size_t sl = ms_analyzer_stem(env->an, ms_token_term(&mk->t, t), t->len, stem, sizeof stem);
        size_t k = 0;
        while (k < nq && !(strlen(info->stems[k]) == sl && memcmp(info->stems[k], stem, sl) == 0))
            k++;
        if (k == nq)
            continue;
        if (k > 0 && last[k - 1] != (size_t)-1 && j - last[k - 1] <= PROX_WINDOW)
            found[k - 1] = 1;
        if (k + 1 < nq && last[k + 1] != (size_t)-1 && j - last[k + 1] <= PROX_WINDOW)
            found[k] = 1;
        last[k] = j;
    }
    size_t pairs = 0;
    for (size_t k = 0; k + 1 < nq; k++)
        pairs += found[k];
    free(found);
    free(last);
    return (double)pairs / (double)(nq - 1);
}

/* ---- searching ---- */

void ms_results_free(ms_results *r)
{
    for (size_t i = 0; i < r->n; i++) {
        ms_rec_free(&r->hits[i].rec);
        free(r->hits[i].snippet);
        free(r->hits[i].hl);
        free(r->hits[i].explain);
    }
    free(r->explain_query);
    free(r->hits);
    free(r->facets);
    ms_qinfo_free(&r->info);
    memset(r, 0, sizeof *r);
}

/* Whether an error reading the index can come from a writer at work (a
 * commit, a generation replaced and removed), so that opening the index
 * again and retrying may succeed. */
static int may_pass(msx_status st)
{
    return st == MSX_MODIFIED || st == MSX_CORRUPT || st == MSX_OPENING || st == MSX_NOT_FOUND ||
           st == MSX_ERROR;
}

/* Fail with what Xapian said of the index at path. */
static int index_fail(ms_error *err, const char *path, const msx_error *xe)
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
static int load_rec(const msx_mset *m, unsigned i, const char *path, ms_rec *rec, int *modified,
                    ms_error *err)
{
    msx_doc *doc = NULL;
    char *data = NULL;
    size_t len = 0;
    msx_error xe;
    if (msx_mset_document(m, i, &doc, &xe) != MSX_OK ||
        msx_doc_get_value(doc, MS_SLOT_PASSAGE, &data, &len, &xe) != MSX_OK) {
        msx_doc_free(doc);
        *modified |= may_pass(xe.status);
        return index_fail(err, path, &xe);
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

/* Whether kind is listed in kinds (comma-separated; NULL lists all). */
static int kind_wanted(const char *kinds, const char *kind)
{
    if (!kinds)
        return 1;
    size_t n = strlen(kind);
    for (const char *p = kinds; *p;) {
        size_t l = strcspn(p, ",");
        if (l == n && strncmp(p, kind, n) == 0)
            return 1;
        p += l + (p[l] == ',');
    }
    return 0;
}

static void count_facets(ms_results *r, const msx_mset *m, const char *path, const char *kinds,
                         ms_error *err)
{
    for (unsigned i = 0; i < msx_mset_size(m); i++) {
        int modified = 0;
        ms_rec rec;
        if (load_rec(m, i, path, &rec, &modified, err) < 0)
            continue;
        for (size_t k = 0; k < rec.n_ents; k++) {
            ms_entkind ek = rec.ents[k].kind;
            const char *name = rec.ents[k].name;
            if (!kind_wanted(kinds, ms_entkind_name(ek)))
                continue;
            size_t f;
            for (f = 0; f < r->n_facets; f++)
                if (r->facets[f].kind == ek && strcmp(r->facets[f].name, name) == 0)
                    break;
            if (f == r->n_facets) {
                r->facets = ms_xrealloc(r->facets, (r->n_facets + 1) * sizeof *r->facets);
                r->facets[f].kind = ek;
                snprintf(r->facets[f].name, sizeof r->facets[f].name, "%s", name);
                r->facets[f].count = 0;
                r->n_facets++;
            }
            r->facets[f].count++;
        }
        ms_rec_free(&rec);
    }
}

static int cmp_facet(const void *a, const void *b)
{
    const ms_facet *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    if (x->kind != y->kind)
        return (int)x->kind - (int)y->kind;
    return strcmp(x->name, y->name);
}

typedef struct strbuf {
    char *s;
    size_t n;
} strbuf;

static int append_term(void *ctx, const char *t, size_t len)
{
    strbuf *b = ctx;
    b->s = ms_xrealloc(b->s, b->n + len + 2);
    if (b->n)
        b->s[b->n++] = ' ';
    memcpy(b->s + b->n, t, len);
    b->n += len;
    b->s[b->n] = '\0';
    return 0;
}

/* The query terms that docid matched, space-separated. */
static char *matched_terms(const msx_enquire *enq, msx_docid docid)
{
    strbuf b = {NULL, 0};
    msx_enquire_matching_terms(enq, docid, append_term, &b, NULL);
    return b.s ? b.s : strdup("");
}

/* The titles or headings already scored in one search (an article's
 * passages share its title), with their coverage and heading fit. */
typedef struct memo {
    char **s;
    double *cover, *fit;
    size_t n;
} memo;

/* The coverage of s if it was scored before (with its fit in *fit), else -1.
 * A hit frees *str (a copy of s). */
static double memo_get(const memo *mm, const char *s, char **str, double *fit)
{
    for (size_t i = 0; i < mm->n; i++)
        if (strcmp(mm->s[i], s) == 0) {
            free(*str);
            *str = NULL;
            if (fit)
                *fit = mm->fit[i];
            return mm->cover[i];
        }
    return -1;
}

/* Keep *str (taken over) with its scores; returns cover. */
static double memo_put(memo *mm, char **str, double cover, double fit)
{
    mm->s = ms_xrealloc(mm->s, (mm->n + 1) * sizeof *mm->s);
    mm->cover = ms_xrealloc(mm->cover, (mm->n + 1) * sizeof *mm->cover);
    mm->fit = ms_xrealloc(mm->fit, (mm->n + 1) * sizeof *mm->fit);
    mm->s[mm->n] = *str;
    mm->cover[mm->n] = cover;
    mm->fit[mm->n++] = fit;
    *str = NULL;
    return cover;
}

static void memo_free(memo *mm)
{
    for (size_t i = 0; i < mm->n; i++)
        free(mm->s[i]);
    free(mm->s);
    free(mm->cover);
    free(mm->fit);
}

/* A match with its re-ranked score. */
typedef struct ranked {
    unsigned i; /* index in the mset */
    double score;
    double bm25, title, section, heading, prox; /* what made the score (--explain) */
} ranked;

/* For --explain: the query terms that docid matched, and what made its score. */
static char *explain(const msx_enquire *enq, msx_docid docid, const ranked *rk)
{
    char *terms = matched_terms(enq, docid);
    const char *fmt = "%s; bm25 %.4f, heading fit %.0f, title coverage %.2f, section coverage "
                      "%.2f, proximity %.2f";
    int n = snprintf(NULL, 0, fmt, terms, rk->bm25, rk->heading, rk->title, rk->section, rk->prox);
    char *out = ms_xrealloc(NULL, (size_t)(n > 0 ? n : 0) + 1);
    snprintf(out, (size_t)(n > 0 ? n : 0) + 1, fmt, terms, rk->bm25, rk->heading, rk->title,
             rk->section, rk->prox);
    free(terms);
    return out;
}

typedef struct docid_at {
    msx_docid did;
    unsigned i;
} docid_at;

static int cmp_docid(const void *a, const void *b)
{
    const docid_at *x = a, *y = b;
    return x->did < y->did ? -1 : x->did > y->did;
}

/* The numbers 0..n-1 in the order of the docids of the mset items they
 * stand for: rk[i].i, or i itself when rk is NULL. */
static unsigned *by_docid(const msx_mset *m, const ranked *rk, unsigned n)
{
    docid_at *d = ms_xrealloc(NULL, (n + 1) * sizeof *d);
    for (unsigned i = 0; i < n; i++)
        d[i] = (docid_at){msx_mset_docid(m, rk ? rk[i].i : i), i};
    qsort(d, n, sizeof *d, cmp_docid);
    unsigned *order = ms_xrealloc(NULL, (n + 1) * sizeof *order);
    for (unsigned i = 0; i < n; i++)
        order[i] = d[i].i;
    free(d);
    return order;
}

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static int run(ms_searcher *s, const msx_query *q, const ms_search_opts *o, ms_results *r,
               ms_error *err)
{
    msx_enquire *enq = NULL;
    msx_mset *m = NULL, *fm = NULL;
    msx_error xe;
    msx_status st = msx_enquire_new(s->db, &enq, &xe);
    if (st == MSX_OK)
        st = msx_enquire_set_query(enq, q, &xe);
    if (st == MSX_OK)
        st = msx_enquire_set_bm25(enq, o->k1, 0, 1, o->b, 0.5, &xe);
    if (st == MSX_OK && o->per_article)
        st = msx_enquire_set_collapse(enq, MS_SLOT_ARTICLE, o->per_article, &xe);
    /* Xapian ranks a deeper list, whose top RERANK_DEPTH is re-ranked below
     * by title coverage. Matches of equal weight are ranked by article id
     * (and within an article by document id, which follows the passages'
     * order in a single index and in a shard alike), so that which are
     * re-ranked depends neither on how the index is sharded nor on how
     * many results are asked for. */
    if (st == MSX_OK)
        st = msx_enquire_set_ties_by_value(enq, MS_SLOT_ARTICLE, &xe);
    unsigned depth = o->offset + o->limit;
    if (depth < RERANK_DEPTH)
        depth = RERANK_DEPTH;
    if (st == MSX_OK)
        st = msx_enquire_get_mset(enq, 0, depth, depth, &m, &xe);
    if (st == MSX_OK && o->facet_depth)
        st = msx_enquire_get_mset(enq, 0, o->facet_depth, 0, &fm, &xe);
    if (st != MSX_OK) {
        msx_enquire_free(enq);
        msx_mset_free(m);
        if (may_pass(st)) {
            /* open again and retry: the index changed under us, or was
               switched to a new generation (this error stays if it is
               really damaged) */
            index_fail(err, s->path, &xe);
            return 1;
        }
        return index_fail(err, s->path, &xe);
    }
    r->estimated = msx_mset_estimated(m);
    unsigned n = msx_mset_size(m);
    ranked *rk = ms_xrealloc(NULL, (n + 1) * sizeof *rk);
    memo titles = {0}, sections = {0};
    int rc = 0, modified = 0;
    /* read in docid order: a passage's neighbours (often of the same
       article) keep their values in the same place of the index */
    unsigned *order = by_docid(m, NULL, n);
    for (unsigned oi = 0; oi < n && rc == 0; oi++) {
        unsigned i = order[oi];
        if (i >= RERANK_DEPTH) {
            /* below the re-ranked top, BM25 alone: the re-ranking never
               depends on how many results are asked for, so pages are
               slices of one list (and its scores only fall: a bonus only
               raises a score) */
            double w = msx_mset_weight(m, i);
            rk[i] = (ranked){i, w, w, 0, 0, 0, 0};
            continue;
        }
        msx_doc *doc = NULL;
        char *heads = NULL, *title = NULL, *section = NULL;
        size_t hl = 0;
        if (msx_mset_document(m, i, &doc, &xe) != MSX_OK ||
            msx_doc_get_value(doc, MS_SLOT_HEADS, &heads, &hl, &xe) != MSX_OK) {
            modified |= may_pass(xe.status);
            rc = index_fail(err, s->path, &xe);
        }
        if (rc == 0) {
            /* title, NUL, section heading */
            size_t tl = strnlen(heads, hl);
            title = ms_xstrndup(heads, tl);
            section = tl < hl ? ms_xstrndup(heads + tl + 1, hl - tl - 1) : ms_xstrdup("");
            double tc = memo_get(&titles, title, &title, NULL);
            if (tc < 0)
                tc = memo_put(&titles, &title, coverage(&s->env, &r->info, &s->scratch, title), 0);
            double hf;
            double sc = memo_get(&sections, section, &section, &hf);
            if (sc < 0) {
                sc = coverage(&s->env, &r->info, &s->scratch, section);
                hf = r->info.n_heads ? heading_fit(&s->env, &r->info, &s->scratch) : 0.0;
                memo_put(&sections, &section, sc, hf);
            }
            rk[i] = (ranked){i,
                             (msx_mset_weight(m, i) + HEAD_W * hf) *
                                 (1.0 + TITLE_COVER_W * tc + SECTION_COVER_W * sc),
                             msx_mset_weight(m, i),
                             tc,
                             sc,
                             hf,
                             0};
        }
        free(heads);
        free(title);
        free(section);
        msx_doc_free(doc);
    }
    free(order);
    memo_free(&titles);
    memo_free(&sections);
    if (rc != 0)
        n = 0; /* (what was scored is not used) */
    qsort(rk, n, sizeof *rk, cmp_ranked);
    /* The passages to show, and the top PROX_DEPTH, are read and marked;
       the top PROX_DEPTH are then re-ordered by how close together the
       query's words are (always the same top, so pages stay consistent). */
    unsigned shown = o->offset + o->limit < n ? o->offset + o->limit : n;
    unsigned top = PROX_DEPTH < n ? PROX_DEPTH : n;
    unsigned upto = shown > top ? shown : top;
    ms_hit *hs = ms_xrealloc(NULL, (upto + 1) * sizeof *hs);
    memset(hs, 0, (upto + 1) * sizeof *hs);
    order = by_docid(m, rk, upto);
    for (unsigned oj = 0; oj < upto && rc == 0; oj++) {
        unsigned j = order[oj];
        if (j >= top && j < o->offset)
            continue;
        ms_hit *h = &hs[j];
        if (load_rec(m, rk[j].i, s->path, &h->rec, &modified, err) < 0) {
            rc = -1;
            break;
        }
        const char *text = h->rec.text;
        size_t len = h->rec.text_len;
        mark(&s->env, &r->info, &h->rec, text, len, &s->scratch);
        if (j < top) {
            rk[j].prox = proximity(&s->env, &r->info, &s->scratch);
            rk[j].score *= 1.0 + PROX_W * rk[j].prox;
        }
        if (j >= o->offset)
            snippet_of(&s->scratch, text, len, o->snippet_words, h);
        if (o->explain)
            h->explain = explain(enq, msx_mset_docid(m, rk[j].i), &rk[j]);
        h->score = rk[j].score;
    }
    free(order);
    if (rc == 0 && top > 1) {
        /* hs follows rk: sort both by the index into hs */
        for (unsigned j = 0; j < top; j++)
            rk[j].i = j;
        qsort(rk, top, sizeof *rk, cmp_ranked);
    }
    r->hits = ms_xrealloc(NULL, (o->limit + 1) * sizeof *r->hits);
    for (unsigned j = 0; j < upto; j++) {
        ms_hit *h = &hs[j < top && rc == 0 && top > 1 ? rk[j].i : j];
        if (rc == 0 && j >= o->offset && j < shown) {
            r->hits[r->n] = *h;
            r->hits[r->n++].rank = j + 1;
            memset(h, 0, sizeof *h);
        }
    }
    for (unsigned j = 0; j < upto; j++) {
        ms_rec_free(&hs[j].rec);
        free(hs[j].snippet);
        free(hs[j].hl);
        free(hs[j].explain);
    }
    free(hs);
    free(rk);
    if (rc == 0 && fm) {
        count_facets(r, fm, s->path, o->facet_kinds, err);
        qsort(r->facets, r->n_facets, sizeof *r->facets, cmp_facet);
    }
    msx_mset_free(fm);
    msx_mset_free(m);
    msx_enquire_free(enq);
    return rc < 0 && modified ? 1 : rc;
}

/* Open s's index again, at its latest commit or generation. */
static int reattach(ms_searcher *s, ms_error *err)
{
    ms_spell_words_clear(s->words); /* the words of the index as it was */
    msx_db_free(s->db);
    s->db = NULL;
    free(s->missing);
    s->missing = NULL;
    return attach(s, NULL, err);
}

int ms_search(ms_searcher *s, const char *query, const ms_search_opts *o, ms_results *r,
              ms_error *err)
{
    ms_qopts qo = o->q;
    qo.words = s->words;
    if (s->gave_up.code != MS_OK) { /* no more waiting for a shard that timed out */
        memset(r, 0, sizeof *r);
        if (err)
            *err = s->gave_up;
        return -1;
    }
    /* The index may change under the reader (a commit, a switch to a new
     * generation): then it is opened again, and the query read and run
     * again, against the index as it is now. A remote shard that stops
     * answering costs one timeout: with allow_partial it is left out from
     * then on (the index opened again without it), else every later search
     * fails at once, naming it. */
    if (!s->db && reattach(s, err) < 0) { /* the last reopening failed */
        memset(r, 0, sizeof *r);
        return -1;
    }
    for (int attempt = 0;; attempt++) {
        memset(r, 0, sizeof *r);
        msx_query *q = NULL;
        int rc = ms_query_parse(&s->env, s->db, query, &qo, &q, &r->info, err);
        if (rc == 0 && q) {
            if (o->explain)
                r->explain_query = msx_query_describe(q);
            rc = run(s, q, o, r, err);
            msx_query_free(q);
        } else if (rc < 0 && err && err->code == MS_ECHANGED) {
            rc = 1;
        }
        if (rc < 0 && err && err->code == MS_ESHARD && attempt == 0) {
            if (!s->allow_partial) {
                s->gave_up = *err;
                size_t l = strlen(s->gave_up.msg);
                snprintf(s->gave_up.msg + l, sizeof s->gave_up.msg - l,
                         " (given up for the rest of the run)");
                return -1;
            }
            rc = 1; /* open again, leaving out what does not answer */
        }
        if (rc != 1)
            return rc;
        ms_results_free(r);
        if (attempt >= 5)
            return -1; /* with the last message */
        if (reattach(s, err) < 0)
            return -1;
    }
}
